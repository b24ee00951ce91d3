/**
 * The engine's refresh against the simulator, counting requests where they arrive: at the
 * server, per route. n recent posts on a platform cost ceil(n / batch size) lookups.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../src/cache/index.ts';
import { SIM_CREDENTIALS } from '../../src/cli/demo.ts';
import { validateConfig } from '../../src/config/index.ts';
import { createHttpClient } from '../../src/http/index.ts';
import type { EngineOutput } from '../../src/operators/engine/index.ts';
import { createEngineOperator } from '../../src/operators/engine/index.ts';
import { createTestContext } from '../../src/operators/engine/testing.ts';
import type { Cache } from '../../src/pipeline/types.ts';
import { runFlywheel } from '../../src/pipeline/flywheel.ts';
import { createAdapters } from '../../src/platforms/index.ts';
import type { PlatformName } from '../../src/platforms/types.ts';
import { startSimulator } from '../../src/sim/index.ts';
import type { SimOptions, Simulator } from '../../src/sim/index.ts';
import { openSqliteStore } from '../../src/store/index.ts';

const ROUTES: Record<PlatformName, string> = {
  bluesky: 'bluesky getPosts',
  mastodon: 'mastodon statuses batch',
  reddit: 'reddit info',
  youtube: 'youtube videos',
  hackernews: 'hackernews item',
};
const BATCH: Record<PlatformName, number> = {
  bluesky: 25,
  mastodon: 20,
  reddit: 100,
  youtube: 50,
  hackernews: 1,
};

/** A simulator whose store has been filled by one scrape; every post counts as recent. */
class Bench {
  dir = '';
  sim!: Simulator;
  storePath = '';
  readonly #options: SimOptions;

  constructor(options: SimOptions = {}) {
    this.#options = options;
  }

  async start(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'flywheel-refresh-'));
    this.storePath = join(this.dir, 'store.sqlite');
    this.sim = await startSimulator({
      seed: 11,
      postsPerAccount: 40,
      accounts: { bluesky: 2, mastodon: 2, reddit: 2, youtube: 2, hackernews: 1 },
      ...this.#options,
    });
    const outcome = await runFlywheel({
      config: validateConfig(this.config(), 'refresh test config'),
      env: SIM_CREDENTIALS,
      only: ['scrape'],
    });
    expect(outcome.report.status).toBe('succeeded');
  }

  config(profile: 'optimized' | 'naive' = 'optimized') {
    return {
      ...this.sim.config(),
      profile,
      store: { path: this.storePath },
      // Every simulated post is younger than 31 days: refresh them all.
      engine: { refreshMaxAgeHours: 31 * 24 },
    };
  }

  /** Posts stored per platform. */
  posts(): Record<PlatformName, number> {
    const store = openSqliteStore(this.storePath);
    try {
      const count = (platform: PlatformName) => store.countPosts({ platform });
      return {
        bluesky: count('bluesky'),
        mastodon: count('mastodon'),
        reddit: count('reddit'),
        youtube: count('youtube'),
        hackernews: count('hackernews'),
      };
    } finally {
      store.close();
    }
  }

  /** Runs the engine task alone; returns its output and the requests per route it caused. */
  async engine(
    profile: 'optimized' | 'naive',
    cache: Cache = createMemoryCache(),
  ): Promise<{ output: EngineOutput; byRoute: Record<string, number> }> {
    const before = this.sim.stats().byRoute;
    const config = this.config(profile);
    const store = openSqliteStore(this.storePath);
    const http = createHttpClient({ profile });
    try {
      const ctx = createTestContext('engine', { config, store, http, cache, now: new Date() });
      const adapters = createAdapters(ctx.config.platforms, SIM_CREDENTIALS);
      const output = await createEngineOperator({ adapters }).execute(ctx);
      const after = this.sim.stats().byRoute;
      const byRoute = Object.fromEntries(
        Object.entries(after)
          .map(([route, n]) => [route, n - (before[route] ?? 0)] as const)
          .filter(([, n]) => n > 0),
      );
      return { output, byRoute };
    } finally {
      await http.close();
      store.close();
    }
  }

  async stop(): Promise<void> {
    await this.sim.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

describe('engine refresh at the simulator', () => {
  const bench = new Bench();

  beforeAll(() => bench.start());
  afterAll(() => bench.stop());

  it('makes ceil(posts / batch size) lookups per platform, and says so', async () => {
    const posts = bench.posts();
    const { output, byRoute } = await bench.engine('optimized');

    const lookups = (platform: PlatformName) => Math.ceil(posts[platform] / BATCH[platform]);
    expect(posts.bluesky).toBeGreaterThan(50);
    expect(byRoute).toEqual({
      [ROUTES.bluesky]: lookups('bluesky'),
      [ROUTES.mastodon]: lookups('mastodon'),
      [ROUTES.reddit]: lookups('reddit'),
      [ROUTES.youtube]: lookups('youtube'),
      [ROUTES.hackernews]: lookups('hackernews'),
      // A fresh Reddit adapter fetches its app-only token first.
      'reddit token': 1,
    });
    expect(output.refresh.requests).toEqual({
      bluesky: lookups('bluesky'),
      mastodon: lookups('mastodon'),
      reddit: lookups('reddit') + 1,
      youtube: lookups('youtube'),
      hackernews: lookups('hackernews'),
    });
    expect(output.refresh.errors).toEqual([]);
    const total = Object.values(posts).reduce((sum, n) => sum + n, 0);
    expect(output.refresh.platforms.reduce((sum, p) => sum + p.posts, 0)).toBe(total);
  });

  it('answers a second refresh within the TTL from the cache, without a lookup', async () => {
    const cache = createMemoryCache({ maxEntries: 10_000 });
    const total = Object.values(bench.posts()).reduce((sum, n) => sum + n, 0);
    await bench.engine('optimized', cache);
    // One lookup per post, all misses; writing the answers back counts nothing.
    expect(cache.stats()).toEqual({ hits: 0, misses: total });
    expect(cache.tierStats()).toEqual([{ tier: 'memory', hits: 0, misses: total, errors: 0 }]);

    const { output, byRoute } = await bench.engine('optimized', cache);

    expect(byRoute).toEqual({});
    expect(output.refresh.platforms.every((p) => p.cached === p.posts && p.batches === 0)).toBe(
      true,
    );
    expect(cache.stats()).toEqual({ hits: total, misses: total });
  });

  it('sends one id per request in the naive profile', async () => {
    const posts = bench.posts();
    const { byRoute } = await bench.engine('naive');

    expect(byRoute).toEqual({
      [ROUTES.bluesky]: posts.bluesky,
      [ROUTES.mastodon]: posts.mastodon,
      [ROUTES.reddit]: posts.reddit,
      [ROUTES.youtube]: posts.youtube,
      [ROUTES.hackernews]: posts.hackernews,
      'reddit token': 1,
    });
  });
});

describe('engine refresh at a Mastodon instance older than 4.3', () => {
  const bench = new Bench({ mastodonMultiGet: false, accounts: { mastodon: 2 } });

  beforeAll(() => bench.start());
  afterAll(() => bench.stop());

  it('costs one refused batch, then one request per status', async () => {
    const posts = bench.posts();
    const { output, byRoute } = await bench.engine('optimized');

    expect(posts.mastodon).toBeGreaterThan(20);
    expect(byRoute['mastodon statuses batch']).toBe(1);
    expect(byRoute['mastodon status']).toBe(posts.mastodon);
    expect(output.refresh.requests.mastodon).toBe(1 + posts.mastodon);
    expect(output.refresh.errors).toEqual([]);
  });
});
