/**
 * `flywheel run --replay` end to end, on real recorded traffic from ../shared/data:
 * Reddit (OAuth token exchange, user submissions, a subreddit listing, the 11-page `after`
 * chain), Mastodon account statuses with `Link` pagination, YouTube playlist and video pages,
 * a real Prometheus exposition as a service's /metrics and the real Mastodon /health exchange.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { dataPath, hasData, SKIP_NOTE } from '../support/data.ts';

const run = promisify(execFile);
const CLI = new URL('../../src/cli/main.ts', import.meta.url).pathname;

const YT = 'youtube-python-youtube-testdata/testdata';
const PLAYLIST = 'PLOU2XLYxmsIKpaV8h0AGE05so0fAwwfTw';

interface Report {
  status: string;
  tasks: { name: string; status: string; requests: number; connections: number }[];
  posts: {
    total: number;
    new: number;
    pages: number;
    byAccount: { account: string; pages: number; posts: number; status: string }[];
  };
  health: { name: string; ok: boolean | null }[];
  metrics: { service: string; ok: boolean; families: number; samples: number }[];
}

/** A Betamax cassette built from bare recorded bodies (the YouTube data and the exposition have no HTTP envelope). */
function betamax(
  interactions: { method?: string; uri: string; body: string; contentType: string }[],
) {
  return JSON.stringify({
    interactions: interactions.map((i) => ({
      request: { method: i.method ?? 'GET', uri: i.uri, headers: {}, body: { string: '' } },
      response: {
        status: { code: 200, message: 'OK' },
        headers: { 'Content-Type': [i.contentType] },
        body: { string: i.body },
      },
    })),
    recorded_with: 'flywheel test',
  });
}

async function prepare(dir: string): Promise<{ replay: string; config: string; store: string }> {
  const replay = join(dir, 'recordings');
  await mkdir(replay, { recursive: true });
  for (const name of [
    'TestListingGenerator.test_exhaust_items.json',
    'TestRedditorListings.test_submissions__new.json',
    'TestSubredditListings.test_new.json',
  ]) {
    await copyFile(dataPath(`reddit-praw-cassettes/${name}`), join(replay, name));
  }
  await copyFile(
    dataPath('mastodon-py-cassettes/cassettes/test_fetch_next_previous.yaml'),
    join(replay, 'mastodon-statuses.yaml'),
  );
  await copyFile(dataPath('health-checks/test_health.yaml'), join(replay, 'mastodon-health.yaml'));

  const read = (path: string) => readFile(dataPath(path), 'utf8');
  const api = 'https://www.googleapis.com/youtube/v3';
  await writeFile(
    join(replay, 'youtube-and-prometheus.json'),
    betamax([
      {
        uri: `${api}/playlistItems?playlistId=${PLAYLIST}`,
        body: await read(`${YT}/apidata/playlist_items/playlist_items_paged_1.json`),
        contentType: 'application/json; charset=UTF-8',
      },
      {
        uri: `${api}/playlistItems?playlistId=${PLAYLIST}&pageToken=CAoQAA`,
        body: await read(`${YT}/apidata/playlist_items/playlist_items_paged_2.json`),
        contentType: 'application/json; charset=UTF-8',
      },
      {
        uri: `${api}/videos`,
        body: await read(`${YT}/modeldata/videos/video_api_response.json`),
        contentType: 'application/json; charset=UTF-8',
      },
      {
        uri: 'http://prometheus.example:9090/metrics',
        body: await read('prometheus-exposition/alltypes.237mfs.prom.txt'),
        contentType: 'text/plain; version=0.0.4',
      },
    ]),
  );

  const store = join(dir, 'store.sqlite');
  const config = join(dir, 'flywheel.yaml');
  await writeFile(
    config,
    stringify({
      store: { path: store },
      platforms: {
        mastodon: { baseUrl: 'http://localhost:3000' },
      },
      accounts: [
        {
          platform: 'reddit',
          id: 'u/spez',
          maxPages: 20,
          pageSize: 1024,
          options: { listing: 'overview', sort: 'top', time: 'all' },
        },
        { platform: 'reddit', id: 'u/spez', maxPages: 1, options: { sort: 'new' } },
        { platform: 'reddit', id: 'r/askreddit', maxPages: 1 },
        { platform: 'mastodon', id: '117020565966271181', pageSize: 5, maxPages: 2 },
        { platform: 'youtube', id: 'GoogleDevelopers', options: { playlist: PLAYLIST } },
      ],
      services: [
        { name: 'prometheus', metricsUrl: 'http://prometheus.example:9090/metrics' },
        { name: 'mastodon', healthUrl: 'http://localhost:3000/health', expectBody: 'OK' },
      ],
    }),
  );

  return { replay, config, store };
}

async function flywheel(args: string[]): Promise<Report> {
  const reportFile = join(tmpdir(), `flywheel-report-${process.pid}-${Date.now()}.json`);
  await run(
    process.execPath,
    ['--import', 'tsx', CLI, ...args, '--quiet', '--report-json', reportFile],
    {
      env: {
        ...process.env,
        REDDIT_CLIENT_ID: 'replay-id',
        REDDIT_CLIENT_SECRET: 'replay-secret',
        YOUTUBE_API_KEY: 'replay-key',
      },
    },
  );
  const report = JSON.parse(await readFile(reportFile, 'utf8')) as Report;
  await rm(reportFile, { force: true });
  return report;
}

describe.skipIf(!hasData)(`flywheel run --replay on real recordings${SKIP_NOTE}`, () => {
  let dir: string;
  let paths: Awaited<ReturnType<typeof prepare>>;
  let first: Report;
  let second: Report;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flywheel-replay-'));
    paths = await prepare(dir);
    first = await flywheel(['run', '--config', paths.config, '--replay', paths.replay]);
    second = await flywheel(['run', '--config', paths.config, '--replay', paths.replay]);
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stores every distinct recorded post once', () => {
    // 1,001 overview items + 100 submissions (11 of them also in the overview) + 100 askreddit
    // posts = 1,190 Reddit posts; 10 Mastodon statuses over two Link pages; 13 playlist items.
    const db = new Database(paths.store, { readonly: true });
    const rows = db
      .prepare('SELECT platform, COUNT(*) AS n FROM posts GROUP BY platform ORDER BY platform')
      .all();
    db.close();
    expect(rows).toEqual([
      { platform: 'mastodon', n: 10 },
      { platform: 'reddit', n: 1190 },
      { platform: 'youtube', n: 13 },
    ]);
    expect(first.posts.total).toBe(1213);
    expect(first.posts.new).toBe(1213);
  });

  it('fetches each recorded page once', () => {
    const pages = Object.fromEntries(
      first.posts.byAccount.map((a) => [a.account + a.pages, a.status]),
    );
    expect(first.posts.pages).toBe(11 + 1 + 1 + 2 + 2);
    expect(Object.values(pages).every((status) => status === 'ok')).toBe(true);
  });

  it('makes exactly the requests the recordings answer', () => {
    const scrape = first.tasks.find((t) => t.name === 'scrape')!;
    // Reddit: 1 token + 13 listing pages; Mastodon: 2 pages; YouTube: 2 playlist pages + 2 videos.
    expect(scrape.requests).toBe(1 + 13 + 2 + 4);
    const metrics = first.tasks.find((t) => t.name === 'metrics')!;
    expect(metrics.requests).toBe(1);
  });

  it('reads the real exposition and the real /health answer', () => {
    expect(first.metrics).toEqual([
      expect.objectContaining({ service: 'prometheus', ok: true, families: 237, samples: 1857 }),
    ]);
    expect(first.health).toContainEqual(
      expect.objectContaining({ name: 'mastodon', kind: 'service', ok: true }),
    );
  });

  it('adds no duplicates when run again', () => {
    expect(second.posts.new).toBe(0);
    const db = new Database(paths.store, { readonly: true });
    const { n } = db.prepare('SELECT COUNT(*) AS n FROM posts').get() as { n: number };
    db.close();
    expect(n).toBe(1213);
    // Incremental: each listing stops at the page holding the newest post of the last run.
    expect(second.posts.pages).toBe(1 + 1 + 1 + 1 + 1);
  });

  it('succeeds on both runs', () => {
    expect(first.tasks.map((t) => [t.name, t.status])).toEqual([
      ['health', 'succeeded'],
      ['scrape', 'succeeded'],
      ['engine', 'succeeded'],
      ['thompson', 'succeeded'],
      ['metrics', 'succeeded'],
    ]);
    expect(second.status).toBe(first.status);
  });
});
