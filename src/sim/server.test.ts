import { setMaxListeners } from 'node:events';
import { Client } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.ts';
import { createHttpClient } from '../http/client.ts';
import type { HttpClient } from '../http/types.ts';
import { silentLogger } from '../observe/logger.ts';
import { createAdapters } from '../platforms/registry.ts';
import { PLATFORM_NAMES } from '../platforms/types.ts';
import type { AdapterContext, PlatformAdapter, Post } from '../platforms/types.ts';
import { startSimulator } from './server.ts';
import type { Simulator } from './types.ts';

const START = Date.parse('2026-03-01T12:00:00Z');
const POSTS = 60;

function context(http: HttpClient, nowMs = START): AdapterContext {
  const signal = new AbortController().signal;
  // One signal serves a page's concurrent item requests, each listening for abort.
  setMaxListeners(0, signal);
  return {
    http,
    signal,
    logger: silentLogger,
    now: () => new Date(nowMs),
  };
}

async function readAll(
  adapter: PlatformAdapter,
  id: string,
  ctx: AdapterContext,
): Promise<{ posts: Post[]; pages: number }> {
  const posts: Post[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await adapter.fetchPage({ platform: adapter.name, id }, cursor, ctx);
    posts.push(...page.posts);
    cursor = page.next;
    pages += 1;
  } while (cursor !== null && pages < 100);

  return { posts, pages };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

describe('simulator against the real adapters', () => {
  let clock = START;
  let sim: Simulator;
  let http: HttpClient;
  let adapters: Record<string, PlatformAdapter>;
  const listings = new Map<string, Post[]>();

  beforeAll(async () => {
    sim = await startSimulator({ startTime: START, now: () => clock });
    http = createHttpClient({ maxAttempts: 1 });
    adapters = createAdapters(configSchema.parse(sim.config()).platforms, sim.env());
    for (const account of sim.config().accounts) {
      const { posts } = await readAll(adapters[account.platform]!, account.id, context(http));
      listings.set(`${account.platform}:${account.id}`, posts);
    }
  });

  afterAll(async () => {
    await http.close();
    await sim.close();
  });

  it('offers a config that fits the schema, with four accounts per platform and two services', () => {
    const config = configSchema.parse(sim.config());

    expect(config.accounts).toHaveLength(20);
    expect(
      PLATFORM_NAMES.map(
        (name) => config.accounts.filter((account) => account.platform === name).length,
      ),
    ).toEqual([4, 4, 4, 4, 4]);
    expect(config.platforms.reddit.authUrl).toBe(`${sim.url}/reddit`);
    expect(config.services.map((service) => service.name)).toEqual(['api', 'worker']);
  });

  it('lets every adapter read every account to the end with exact post counts', () => {
    expect(listings.size).toBe(20);
    for (const [key, posts] of listings) {
      expect({ key, count: posts.length }).toEqual({ key, count: POSTS });
      expect(new Set(posts.map((post) => post.postId)).size).toBe(POSTS);
    }
  });

  it('pages with each platform cursor and counts requests per route', () => {
    const routes = sim.stats().byRoute;

    // Bluesky 50 per page, Mastodon 40 (a full last page is followed by an empty one only when full).
    expect(routes['bluesky getAuthorFeed']).toBe(8);
    expect(routes['mastodon statuses']).toBe(8);
    expect(routes['mastodon lookup']).toBe(1);
    expect(routes['reddit token']).toBe(1);
    expect(routes['reddit user listing']! + routes['reddit subreddit listing']!).toBe(4);
    expect(routes['youtube playlistItems']).toBe(8);
    expect(routes['youtube videos']).toBe(8);
    // Hacker News reads a user's submission list once per walk.
    expect(routes['hackernews user']).toBe(4);
    expect(routes['hackernews item']).toBe(240);
  });

  it('plants about 3% viral posts per account that the listings contain, far above the median', () => {
    const truth = sim.truth();

    expect(truth).toHaveLength(40);
    for (const planted of truth) {
      const posts = listings.get(`${planted.platform}:${planted.account}`)!;
      const post = posts.find((candidate) => candidate.postId === planted.postId);
      expect(post, `${planted.platform} ${planted.postId}`).toBeDefined();
      const engagement = (item: Post) => item.counts.likes ?? item.counts.score ?? 0;
      const originals = posts.filter((item) => item.kind === 'original');
      expect(engagement(post!)).toBeGreaterThan(median(originals.map(engagement)) * 5);
    }
  });

  it('serves hidden YouTube like counts as null and string counts as numbers', () => {
    const videos = [...listings.entries()]
      .filter(([key]) => key.startsWith('youtube:'))
      .flatMap(([, posts]) => posts);
    const hidden = videos.filter((post) => post.counts.likes === null);

    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.length).toBeLessThan(30);
    expect(videos.every((post) => typeof post.counts.views === 'number')).toBe(true);
  });

  it('answers batch lookups with the listed posts', async () => {
    for (const name of PLATFORM_NAMES) {
      const listed = [...listings.entries()]
        .filter(([key]) => key.startsWith(`${name}:`))
        .flatMap(([, posts]) => posts);
      const sample = listed
        .filter((post) => name !== 'bluesky' || post.kind !== 'repost')
        .slice(0, 30);

      const found = await adapters[name]!.lookup(
        sample.map((post) => post.postId),
        context(http),
      );

      expect(found.map((post) => [post.postId, post.counts])).toEqual(
        sample.map((post) => [post.postId, post.counts]),
      );
    }
  });

  it('grows the engagement of posts younger than 48 hours as the clock advances', async () => {
    const posts = listings.get(`bluesky:${sim.config().accounts[0]!.id}`)!;
    const young = posts.filter(
      (post) => START - Date.parse(post.createdAt) < 40 * 3_600_000 && post.kind === 'original',
    );
    const old = posts
      .filter((post) => START - Date.parse(post.createdAt) > 72 * 3_600_000)
      .slice(0, 5);
    clock = START + 6 * 3_600_000;

    const later = await adapters.bluesky!.lookup(
      [...young, ...old].map((post) => post.postId),
      context(http),
    );
    clock = START;

    expect(young.length).toBeGreaterThan(0);
    young.forEach((post, index) =>
      expect(later[index]!.counts.likes!).toBeGreaterThanOrEqual(post.counts.likes!),
    );
    expect(
      later
        .slice(0, young.length)
        .some((post, index) => post.counts.likes! > young[index]!.counts.likes!),
    ).toBe(true);
    expect(later.slice(young.length).map((post) => post.counts)).toEqual(
      old.map((post) => post.counts),
    );
  });

  it('serves Prometheus metrics and health for each service', async () => {
    const [service] = sim.config().services;
    const first = (await http.request(service!.metricsUrl!)).text();
    const second = (await http.request(service!.metricsUrl!)).text();
    const health = await http.request(service!.healthUrl!);

    expect(first).toContain('# TYPE http_request_duration_seconds histogram');
    expect(first).toMatch(
      /^http_request_duration_seconds_bucket\{service="api",le="\+Inf"\} \d+$/m,
    );
    expect(first).toContain('# TYPE http_requests_total counter');
    const total = (text: string) =>
      Number(/http_request_duration_seconds_count\{service="api"\} (\d+)/.exec(text)![1]);
    expect(total(second)).toBeGreaterThan(total(first));
    expect(health.json()).toEqual({ status: 'ok' });
  });

  it('reuses keep-alive connections', () => {
    const stats = sim.stats();
    expect(stats.requests).toBeGreaterThan(300);
    expect(stats.connections).toBeLessThan(stats.requests / 5);
  });
});

describe('simulator determinism, auth, latency and faults', () => {
  const fixed = { startTime: START, now: () => START };

  it('serves identical bodies for the same seed and different ones for another seed', async () => {
    const a = await startSimulator({ ...fixed, seed: 7 });
    const b = await startSimulator({ ...fixed, seed: 7 });
    const c = await startSimulator({ ...fixed, seed: 8 });
    try {
      const paths = (sim: Simulator) => {
        const accounts = sim.config().accounts;
        const find = (name: string) => accounts.find((account) => account.platform === name)!.id;
        return [
          `/bluesky/xrpc/app.bsky.feed.getAuthorFeed?actor=${find('bluesky')}&limit=10`,
          `/mastodon/api/v1/accounts/110000000000000000/statuses?limit=10`,
          `/youtube/playlistItems?part=snippet&playlistId=UU${find('youtube').slice(2)}&maxResults=10&key=k`,
          `/hackernews/user/${find('hackernews')}.json`,
          '/services/api/metrics',
        ];
      };
      const bodies = async (sim: Simulator) =>
        Promise.all(paths(sim).map(async (path) => (await fetch(`${sim.url}${path}`)).text()));

      const [first, second, other] = await Promise.all([bodies(a), bodies(b), bodies(c)]);

      expect(first.map((body) => body.replaceAll(a.url, ''))).toEqual(
        second.map((body) => body.replaceAll(b.url, '')),
      );
      expect(first[0]).not.toEqual(other[0]);
      expect(a.truth()).toEqual(b.truth());
      expect(a.truth()).not.toEqual(c.truth());
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('refuses Reddit listings without a token and YouTube calls without a key', async () => {
    const sim = await startSimulator({ ...fixed, accounts: { reddit: 1 }, postsPerAccount: 5 });
    try {
      const reddit = await fetch(`${sim.url}/reddit/user/ada0_sim/submitted`);
      const youtube = await fetch(`${sim.url}/youtube/videos?part=snippet&id=x`);
      expect(reddit.status).toBe(401);
      expect(youtube.status).toBe(400);
      expect(await youtube.json()).toMatchObject({ error: { errors: [{ reason: 'keyInvalid' }] } });
    } finally {
      await sim.close();
    }
  });

  it('holds a response for latencyMs, and close() ends the wait', async () => {
    // A latency no test outlives: the answer cannot come before close(), whatever the machine.
    const slow = await startSimulator({ ...fixed, latencyMs: 600_000, postsPerAccount: 5 });
    let isAnswered = false;
    const answer = fetch(`${slow.url}/hackernews/maxitem.json`).then(
      () => (isAnswered = true),
      () => false,
    );
    for (let turn = 0; turn < 2_000 && slow.stats().requests === 0; turn += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }

    expect(slow.stats().requests).toBe(1);
    // Arrived, but no route has answered it yet.
    expect(slow.stats().byRoute).toEqual({});
    await slow.close();
    expect(await answer).toBe(false);
    expect(isAnswered).toBe(false);
  });

  it('delays the first response of each new connection by connectLatencyMs, once', async () => {
    const sim = await startSimulator({ ...fixed, connectLatencyMs: 150, postsPerAccount: 5 });
    const first = new Client(sim.url);
    const second = new Client(sim.url);
    const get = async (client: Client): Promise<number> => {
      const res = await client.request({ path: '/hackernews/maxitem.json', method: 'GET' });
      await res.body.text();
      return performance.now();
    };
    try {
      const started = performance.now();
      await get(first);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);

      // The reused connection answers before a new one that is still paying for its handshake.
      const order: string[] = [];
      await Promise.all([
        get(first).then(() => order.push('reused')),
        get(second).then(() => order.push('new')),
      ]);
      expect(order).toEqual(['reused', 'new']);
      expect(sim.stats().connections).toBe(2);
    } finally {
      await Promise.all([first.close(), second.close()]);
      await sim.close();
    }
  });

  it('answers 503 at the seeded fault rate', async () => {
    const flaky = await startSimulator({ ...fixed, faults: { rate: 0.5 }, postsPerAccount: 5 });
    const flaky2 = await startSimulator({ ...fixed, faults: { rate: 0.5 }, postsPerAccount: 5 });
    try {
      const statuses = async (sim: Simulator) => {
        const codes: number[] = [];
        for (let index = 0; index < 40; index += 1) {
          const res = await fetch(`${sim.url}/hackernews/maxitem.json`);
          await res.text();
          codes.push(res.status);
        }
        return codes;
      };
      const codes = await statuses(flaky);
      expect(codes.filter((code) => code === 503).length).toBeGreaterThan(8);
      expect(codes.filter((code) => code === 200).length).toBeGreaterThan(8);
      expect(await statuses(flaky2)).toEqual(codes);
      expect(flaky.stats().faults).toBe(codes.filter((code) => code === 503).length);
    } finally {
      await Promise.all([flaky.close(), flaky2.close()]);
    }
  });
});
