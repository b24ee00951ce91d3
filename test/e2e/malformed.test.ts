/**
 * Malformed recorded pages fail that page with a clear error and keep the rest: a truncated JSON
 * page in the middle of Reddit's 11-page chain, an HTML error page in place of a listing, and
 * counts sent as strings. Built at test time from the real PRAW recordings in ../shared/data.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/index.ts';
import { runFlywheel, type RunOutcome } from '../../src/pipeline/flywheel.ts';
import { dataPath, hasData, SKIP_NOTE } from '../support/data.ts';

interface Interaction {
  request: { uri: string };
  response: {
    status: { code: number; message: string };
    headers: Record<string, string[]>;
    body: { string: string };
  };
}

async function cassette(name: string): Promise<{ interactions: Interaction[] }> {
  const text = await readFile(dataPath(`reddit-praw-cassettes/${name}`), 'utf8');
  return JSON.parse(text) as { interactions: Interaction[] };
}

describe.skipIf(!hasData)(`malformed recorded pages${SKIP_NOTE}`, () => {
  let dir: string;
  let outcome: RunOutcome;
  let store: string;
  let changedPost: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flywheel-malformed-'));
    const replay = join(dir, 'recordings');
    await mkdir(replay);

    // Page 3 of the overview chain cut off half way.
    const chain = await cassette('TestListingGenerator.test_exhaust_items.json');
    const page3 = chain.interactions[3]!;
    page3.response.body.string = page3.response.body.string.slice(0, 5_000);
    await writeFile(join(replay, 'chain.json'), JSON.stringify(chain));

    // The subreddit listing answered by the real HTML error page Reddit sent in another recording.
    const html = await cassette('TestReddit.test_bad_request_without_json_text_html_response.json');
    const listing = await cassette('TestSubredditListings.test_new.json');
    const htmlPage = html.interactions[1]!.response;
    listing.interactions[1]!.response = {
      ...htmlPage,
      status: { code: 200, message: 'OK' },
    };
    await writeFile(join(replay, 'html.json'), JSON.stringify(listing));

    // Counts as strings: a numeric one, and one that is not a number.
    const submitted = await cassette('TestRedditorListings.test_submissions__new.json');
    const body = JSON.parse(submitted.interactions[1]!.response.body.string) as {
      data: { children: { data: Record<string, unknown> }[] };
    };
    changedPost = String(body.data.children[0]!.data.name);
    body.data.children[0]!.data.score = '1234';
    body.data.children[0]!.data.num_comments = 'n/a';
    submitted.interactions[1]!.response.body.string = JSON.stringify(body);
    await writeFile(join(replay, 'strings.json'), JSON.stringify(submitted));

    store = join(dir, 'store.sqlite');
    const config = validateConfig({
      store: { path: store },
      accounts: [
        {
          platform: 'reddit',
          id: 'u/spez',
          pageSize: 1024,
          maxPages: 20,
          options: { listing: 'overview', sort: 'top', time: 'all' },
        },
        { platform: 'reddit', id: 'r/askreddit', maxPages: 1 },
        { platform: 'reddit', id: 'u/spez', maxPages: 1, options: { sort: 'new' } },
      ],
    });
    outcome = await runFlywheel({
      config,
      replayDir: replay,
      env: { REDDIT_CLIENT_ID: 'id', REDDIT_CLIENT_SECRET: 'secret' },
    });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the pages before a truncated page and names the failure', () => {
    const overview = outcome.report.posts.byAccount[0]!;
    expect(overview).toMatchObject({ account: 'u/spez', status: 'partial', pages: 2, posts: 200 });
    expect(overview.error).toMatch(
      /^page 3 failed: reddit u\/spez page \(\/user\/spez\/\): expected a JSON body, got 5000 bytes of application\/json; charset=UTF-8 that do not parse \(truncated or corrupted\)$/,
    );
  });

  it('fails an HTML error page with a clear error', () => {
    const askreddit = outcome.report.posts.byAccount[1]!;
    expect(askreddit).toMatchObject({ account: 'r/askreddit', status: 'failed', pages: 0 });
    expect(askreddit.error).toMatch(/text\/html/);
  });

  it('reads a numeric string count and records an unreadable one as null', () => {
    const submitted = outcome.report.posts.byAccount[2]!;
    expect(submitted).toMatchObject({ status: 'ok', pages: 1, posts: 100 });
    const db = new Database(store, { readonly: true });
    const row = db
      .prepare("SELECT score, replies FROM posts WHERE platform = 'reddit' AND post_id = ?")
      .get(changedPost);
    db.close();
    expect(row).toEqual({ score: 1234, replies: null });
  });

  it('reports the run as partial, with every task run', () => {
    expect(outcome.report.status).toBe('partial');
    expect(outcome.report.tasks.every((task) => task.status === 'succeeded')).toBe(true);
    expect(outcome.report.problems).toHaveLength(2);
  });
});
