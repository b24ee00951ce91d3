import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryCache } from '../../cache/index.ts';
import type { HttpClient, HttpResponse } from '../../http/types.ts';
import type { Logger } from '../../observe/logger.ts';
import { silentLogger } from '../../observe/logger.ts';
import type { TaskContext } from '../../pipeline/types.ts';
import type { PlatformAdapter, PlatformName, Post } from '../../platforms/types.ts';
import { createEngineOperator } from './engine.ts';
import { createTestContext, makeHistory, makePost } from './testing.ts';

const NOW = new Date('2024-06-01T12:00:00.000Z');

/** An HTTP client whose every request succeeds with an empty answer. */
const okHttp: HttpClient = {
  request: () => Promise.resolve({} as HttpResponse),
  stats: () => {
    throw new Error('not used');
  },
  close: () => Promise.resolve(),
};

/** An adapter answering every id with 1,000 likes, through one request per lookup. */
function fakeAdapter(
  name: PlatformName,
  batchSize: number,
  behaviour: 'ok' | 'fail' = 'ok',
): PlatformAdapter & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    name,
    batchSize,
    calls,
    fetchPage: () => Promise.reject(new Error('not used')),
    healthUrl: () => 'http://127.0.0.1/',
    lookup: async (ids, ctx) => {
      calls.push([...ids]);
      await ctx.http.request('http://127.0.0.1/lookup');
      if (behaviour === 'fail') throw new Error(`${name} lookup refused`);
      return ids.map((id): Post => ({
        ...makePost('recent', id, 1_000, { platform: name }),
        observedAt: NOW.toISOString(),
      }));
    },
  };
}

function recentPosts(platform: PlatformName, count: number): Post[] {
  return Array.from({ length: count }, (_, i) =>
    makePost('recent', `${platform}-${i}`, 5, {
      platform,
      createdAt: new Date(NOW.getTime() - (i + 1) * 60_000).toISOString(),
    }),
  );
}

/** Stores a post once per snapshot, as successive scrapes would. */
function storeHistory(ctx: TaskContext, post: ReturnType<typeof makeHistory>): void {
  for (const snapshot of post.snapshots) {
    ctx.store.upsertPosts([{ ...post, counts: snapshot.counts, observedAt: snapshot.observedAt }]);
  }
}

function recordingLogger(lines: string[]): Logger {
  return {
    ...silentLogger,
    warn: (fields, message) => lines.push(`${message} ${JSON.stringify(fields)}`),
    child: () => recordingLogger(lines),
  };
}

describe('ViralEngineOperator', () => {
  it('labels a planted outlier viral and stores the run scores', async () => {
    const ctx = createTestContext('engine', { now: NOW, runId: 'run-7' });
    const likes = [10, 12, 9, 11, 10, 13, 8, 10, 11, 12];
    ctx.store.upsertPosts([
      ...likes.map((n, i) => makePost('alice', `a${i}`, n)),
      makePost('alice', 'big', 500, { text: 'Why does this work?', mediaKind: 'video' }),
      ...[1, 2, 3].map((n) => makePost('bob', `b${n}`, n)),
    ]);

    const output = await createEngineOperator({ adapters: {} }).execute(ctx);

    expect(output.runId).toBe('run-7');
    expect(output.scored).toBe(11);
    expect(output.viral).toHaveLength(1);
    expect(output.viral[0]).toMatchObject({
      platform: 'bluesky',
      account: 'alice',
      postId: 'big',
      url: 'https://example.com/alice/big',
      engagement: 500,
    });
    // Every post here is 14 hours old, so each is judged against the others at that age.
    expect(output.viral[0]).toMatchObject({ basis: 'equal-age', ageHours: 14 });
    expect(output.viral[0]!.reason).toBe(
      'z=29.3 ≥ 3.5 and 47.7× the account median at 14h (10, 10 posts)',
    );
    expect(output.noBaseline).toEqual(['bluesky:bob (original)']);
    expect(output.accounts.map((a) => [a.account, a.posts, a.median])).toEqual([
      ['alice', 11, 11],
      ['bob', 3, null],
    ]);
    expect(output.outcomes.find((o) => o.arm === 'hook=question')).toEqual({
      arm: 'hook=question',
      successes: 1,
      failures: 0,
    });
    expect(output.outcomes.find((o) => o.arm === 'hook=statement')).toEqual({
      arm: 'hook=statement',
      successes: 0,
      failures: 10,
    });

    const scores = ctx.store.latestScores('run-7');
    expect(scores).toHaveLength(14);
    expect(scores.filter((s) => s.isViral).map((s) => s.postId)).toEqual(['big']);
    expect(scores.find((s) => s.postId === 'big')!.arms).toContain('media=video');
    expect(scores.find((s) => s.postId === 'b1')!.arms).toBeUndefined();
  });

  it('refreshes recent posts in ceil(n / batchSize) lookups per platform', async () => {
    const ctx = createTestContext('engine', { now: NOW, http: okHttp });
    const old = makePost('recent', 'old', 5, { createdAt: '2024-05-01T00:00:00.000Z' });
    ctx.store.upsertPosts([...recentPosts('bluesky', 60), ...recentPosts('reddit', 7), old]);
    const bluesky = fakeAdapter('bluesky', 25);
    const reddit = fakeAdapter('reddit', 100);

    const output = await createEngineOperator({ adapters: { bluesky, reddit } }).execute(ctx);

    expect(bluesky.calls.map((ids) => ids.length)).toEqual([25, 25, 10]);
    expect(new Set(bluesky.calls.flat()).size).toBe(60);
    expect(bluesky.calls.flat()).not.toContain('old');
    expect(reddit.calls.map((ids) => ids.length)).toEqual([7]);
    expect(output.refresh).toMatchObject({
      requests: { bluesky: 3, reddit: 1 },
      refreshed: 67,
      errors: [],
      skipped: [],
    });
    expect(output.refresh.platforms).toEqual([
      {
        platform: 'bluesky',
        posts: 60,
        cached: 0,
        batchSize: 25,
        batches: 3,
        requests: 3,
        refreshed: 60,
        failed: 0,
      },
      {
        platform: 'reddit',
        posts: 7,
        cached: 0,
        batchSize: 100,
        batches: 1,
        requests: 1,
        refreshed: 7,
        failed: 0,
      },
    ]);
    expect(ctx.store.listPosts({ platform: 'reddit' })[0]!.snapshots).toHaveLength(2);
    expect(ctx.store.listPosts({ platform: 'reddit' })[0]!.counts.likes).toBe(1_000);
  });

  describe('with a cache', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('reuses refreshed counts for the TTL, then looks them up again', async () => {
      vi.useFakeTimers();
      // No jitter: the test steps to exactly one millisecond before and at the TTL.
      const cache = createMemoryCache({ ttlJitter: 0 });
      const ctx = createTestContext('engine', { now: NOW, http: okHttp, cache });
      ctx.store.upsertPosts(recentPosts('bluesky', 60));
      const bluesky = fakeAdapter('bluesky', 25);
      const engine = createEngineOperator({ adapters: { bluesky } });

      const first = await engine.execute(ctx);
      vi.advanceTimersByTime(299_999);
      const second = await engine.execute(ctx);
      vi.advanceTimersByTime(1);
      const third = await engine.execute(ctx);

      expect(bluesky.calls.map((ids) => ids.length)).toEqual([25, 25, 10, 25, 25, 10]);
      expect(first.refresh.platforms[0]).toMatchObject({ cached: 0, batches: 3, requests: 3 });
      expect(second.refresh.platforms[0]).toMatchObject({
        posts: 60,
        cached: 60,
        batches: 0,
        requests: 0,
        refreshed: 0,
      });
      expect(third.refresh.platforms[0]).toMatchObject({ cached: 0, batches: 3, requests: 3 });
    });

    it('asks only for the posts missing from the cache', async () => {
      const cache = createMemoryCache();
      const ctx = createTestContext('engine', { now: NOW, http: okHttp, cache });
      ctx.store.upsertPosts(recentPosts('bluesky', 30));
      const bluesky = fakeAdapter('bluesky', 25);
      const engine = createEngineOperator({ adapters: { bluesky } });

      await engine.execute(ctx);
      ctx.store.upsertPosts(recentPosts('bluesky', 40));
      const second = await engine.execute(ctx);

      expect(bluesky.calls.map((ids) => ids.length)).toEqual([25, 5, 10]);
      expect(second.refresh.platforms[0]).toMatchObject({ posts: 40, cached: 30, requests: 1 });
    });

    it('uses no cache in the naive profile', async () => {
      const cache = createMemoryCache();
      const config = { profile: 'naive' as const };
      const ctx = createTestContext('engine', { now: NOW, http: okHttp, cache, config });
      ctx.store.upsertPosts(recentPosts('bluesky', 4));
      const bluesky = fakeAdapter('bluesky', 25);
      const engine = createEngineOperator({ adapters: { bluesky } });

      await engine.execute(ctx);
      await engine.execute(ctx);

      expect(bluesky.calls.map((ids) => ids.length)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
      expect(cache.tierStats()).toEqual([{ tier: 'memory', hits: 0, misses: 0, errors: 0 }]);
    });
  });

  it('looks posts up one by one in the naive profile', async () => {
    const ctx = createTestContext('engine', {
      now: NOW,
      http: okHttp,
      config: { profile: 'naive' },
    });
    ctx.store.upsertPosts(recentPosts('bluesky', 6));
    const bluesky = fakeAdapter('bluesky', 25);

    const output = await createEngineOperator({ adapters: { bluesky } }).execute(ctx);

    expect(bluesky.calls).toHaveLength(6);
    expect(output.refresh.requests).toEqual({ bluesky: 6 });
  });

  it('skips down platforms and platforms without an adapter', async () => {
    const ctx = createTestContext('engine', { now: NOW, http: okHttp, downPlatforms: ['bluesky'] });
    ctx.store.upsertPosts([...recentPosts('bluesky', 3), ...recentPosts('youtube', 2)]);
    const bluesky = fakeAdapter('bluesky', 25);

    const output = await createEngineOperator({ adapters: { bluesky } }).execute(ctx);

    expect(bluesky.calls).toEqual([]);
    expect(output.refresh).toEqual({
      requests: {},
      refreshed: 0,
      errors: [],
      skipped: ['bluesky', 'youtube'],
      platforms: [],
    });
  });

  it('reports a failing platform without failing the task', async () => {
    const warnings: string[] = [];
    const ctx = createTestContext('engine', {
      now: NOW,
      http: okHttp,
      logger: recordingLogger(warnings),
    });
    ctx.store.upsertPosts([...recentPosts('mastodon', 3), ...recentPosts('bluesky', 30)]);
    const mastodon = fakeAdapter('mastodon', 2, 'fail');
    const bluesky = fakeAdapter('bluesky', 25);

    const output = await createEngineOperator({ adapters: { mastodon, bluesky } }).execute(ctx);

    expect(output.refresh.requests).toEqual({ mastodon: 2, bluesky: 2 });
    expect(output.refresh.refreshed).toBe(30);
    expect(output.refresh.errors).toEqual([
      'mastodon: mastodon lookup refused',
      'mastodon: mastodon lookup refused',
    ]);
    expect(warnings).toEqual(['refresh lookups failed {"failed":2,"requests":2}']);
  });

  it('does not refresh when refreshMaxAgeHours is 0', async () => {
    const ctx = createTestContext('engine', {
      now: NOW,
      config: { engine: { refreshMaxAgeHours: 0 } },
    });
    ctx.store.upsertPosts(recentPosts('bluesky', 3));
    const bluesky = fakeAdapter('bluesky', 25);

    await createEngineOperator({ adapters: { bluesky } }).execute(ctx);

    expect(bluesky.calls).toEqual([]);
  });

  describe('from stored snapshots', () => {
    const K = 0.6;
    // Thirty posts of another account grow as N + 1 = (final + 1)(t / 48 h)^K, seen at 6 h and 48 h.
    const growing = Array.from({ length: 30 }, (_, i) => {
      const final = 20 + 10 * i;
      return makeHistory('model', `m${i}`, [
        [6, (final + 1) * (6 / 48) ** K - 1],
        [48, final],
      ]);
    });
    const settled = [28, 30, 32, 30, 29, 31].map((likes, i) =>
      makeHistory('zoe', `z${i}`, [[72, likes]]),
    );

    it('predicts where a young post lands and lists it as rising', async () => {
      const ctx = createTestContext('engine', { now: NOW });
      for (const post of [...growing, ...settled]) storeHistory(ctx, post);
      // 40 likes at 6 h: ordinary against zoe's settled posts, big for its age.
      storeHistory(ctx, makeHistory('zoe', 'young', [[6, 40]]));

      const output = await createEngineOperator({ adapters: {} }).execute(ctx);

      const [model] = output.prediction;
      expect(model).toMatchObject({ platform: 'bluesky', targetHours: 48, posts: 30 });
      const six = model!.steps.find((step) => step.ageHours === 6)!;
      expect(six.b).toBeCloseTo(K * Math.log(8), 9);
      expect(model!.heldOut.pairs).toBeGreaterThan(0);
      expect(model!.heldOut.maeLog).toBeLessThan(model!.heldOut.persistenceMaeLog!);

      const predicted = 41 * 8 ** K - 1;
      expect(output.viral).toEqual([]);
      expect(output.rising).toHaveLength(1);
      expect(output.rising[0]).toMatchObject({ account: 'zoe', postId: 'young', ageHours: 6 });
      expect(output.rising[0]!.predicted).toBeCloseTo(predicted, 6);
      expect(output.rising[0]!.ratio).toBeCloseTo(predicted / 30, 6);

      const score = ctx.store.latestScores('run-1').find((s) => s.postId === 'young')!;
      expect(score).toMatchObject({ basis: 'mature', ageHours: 6, isViral: false });
      expect(score.predicted).toBeCloseTo(predicted, 6);
      expect(score.reason).toMatch(/; young \(6\.0h\), 0 of 5 posts seen at that age$/);
    });

    it('judges a young post against the account at its age once there are enough such posts', async () => {
      const ctx = createTestContext('engine', { now: NOW });
      // Five of zoe's posts were also seen young, at 4 h and 9 h.
      const seenYoung = [8, 9, 10, 9, 11].map((early, i) =>
        makeHistory('zoe', `y${i}`, [
          [4, early],
          [9, early * 2],
          [72, 30],
        ]),
      );
      for (const post of [...growing, ...settled, ...seenYoung]) storeHistory(ctx, post);
      storeHistory(ctx, makeHistory('zoe', 'young', [[6, 200]]));

      const output = await createEngineOperator({ adapters: {} }).execute(ctx);

      expect(output.viral.map((post) => [post.postId, post.basis, post.ageHours])).toEqual([
        ['young', 'equal-age', 6],
      ]);
      expect(output.viral[0]!.reason).toMatch(/the account median at 6\.0h \(\d+, 5 posts\)$/);
      expect(output.labels).toMatchObject({ viral: 1, byBasis: { 'equal-age': 1 } });
      expect(output.accounts.find((a) => a.account === 'zoe')).toMatchObject({
        basis: 'mature',
        equalAge: 1,
      });
    });
  });
});
