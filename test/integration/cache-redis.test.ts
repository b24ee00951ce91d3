/** The two-level cache against a real Redis on 127.0.0.1:6379 (skipped when it is not running). */
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTieredCache } from '../../src/cache/index.ts';
import type { TieredCache } from '../../src/cache/index.ts';
import {
  cleanUp,
  freshPrefix,
  inspector,
  isRedisUp,
  keysUnder,
  REDIS_URL,
} from '../support/redis.ts';
import { closedPort, startTcpProxy } from '../support/tcp-proxy.ts';

const redisUp = await isRedisUp();
const title = redisUp
  ? 'two-level cache on real Redis'
  : `two-level cache on real Redis (skipped: no Redis answers at ${REDIS_URL})`;

describe.skipIf(!redisUp)(title, () => {
  let redis: Redis;
  const prefixes: string[] = [];
  const caches: TieredCache[] = [];

  function open(options: Parameters<typeof createTieredCache>[0] = {}): TieredCache {
    const cache = createTieredCache({ redisUrl: REDIS_URL, ...options });
    caches.push(cache);
    return cache;
  }

  function prefix(label: string): string {
    const value = freshPrefix(label);
    prefixes.push(value);
    return value;
  }

  beforeAll(() => {
    redis = inspector();
  });

  afterEach(async () => {
    await Promise.all(caches.splice(0).map((cache) => cache.close()));
    for (const used of prefixes.splice(0)) await cleanUp(redis, used);
  });

  afterAll(() => {
    redis.disconnect();
  });

  it('hands a value written by one process to another with its types intact', async () => {
    const shared = prefix('types');
    const writer = open({ prefix: shared });
    const reader = open({ prefix: shared });
    await Promise.all([writer.connect(), reader.connect()]);
    const value = {
      observedAt: new Date('2024-05-01T10:00:00.000Z'),
      views: 2n ** 63n + 5n,
      ratio: Number.NaN,
      bound: Number.POSITIVE_INFINITY,
      floor: Number.NEGATIVE_INFINITY,
    };

    await writer.getOrSet('scrape', 60_000, () => Promise.resolve(value));
    const factory = vi.fn(() => Promise.resolve({}));
    const back = (await reader.getOrSet('scrape', 60_000, factory)) as typeof value;

    expect(factory).not.toHaveBeenCalled();
    expect(back.observedAt).toBeInstanceOf(Date);
    expect(back.observedAt.toISOString()).toBe('2024-05-01T10:00:00.000Z');
    expect(back.views).toBe(2n ** 63n + 5n);
    expect(Number.isNaN(back.ratio)).toBe(true);
    expect([back.bound, back.floor]).toEqual([Infinity, -Infinity]);
    expect(writer.tierStats()).toEqual([
      { tier: 'memory', hits: 0, misses: 1, errors: 0 },
      { tier: 'redis', hits: 0, misses: 1, errors: 0 },
    ]);
    expect(reader.tierStats()).toEqual([
      { tier: 'memory', hits: 0, misses: 1, errors: 0 },
      { tier: 'redis', hits: 1, misses: 0, errors: 0 },
    ]);

    // Promoted to the reader's memory: the next lookup does not reach Redis.
    expect(await reader.getOrSet('scrape', 60_000, factory)).toEqual(back);
    expect(reader.tierStats()[0]).toEqual({ tier: 'memory', hits: 1, misses: 1, errors: 0 });
    expect(reader.status()).toMatchObject({ state: 'ok', redis: 'redis://127.0.0.1:6379' });
  });

  it('counts a get answered by Redis at the Redis tier, not at memory', async () => {
    const shared = prefix('get');
    const writer = open({ prefix: shared });
    const reader = open({ prefix: shared });
    await Promise.all([writer.connect(), reader.connect()]);

    await writer.set('post', { at: new Date(0), likes: 7n }, 60_000);
    expect(await reader.get('absent')).toBeUndefined();
    expect(await reader.get('post')).toEqual({ at: new Date(0), likes: 7n });
    expect(reader.tierStats()).toEqual([
      { tier: 'memory', hits: 0, misses: 2, errors: 0 },
      { tier: 'redis', hits: 1, misses: 1, errors: 0 },
    ]);

    // Promoted to the reader's memory: the next get does not reach Redis.
    expect(await reader.get('post')).toEqual({ at: new Date(0), likes: 7n });
    expect(reader.tierStats()).toEqual([
      { tier: 'memory', hits: 1, misses: 2, errors: 0 },
      { tier: 'redis', hits: 1, misses: 1, errors: 0 },
    ]);
    expect(reader.stats()).toEqual({ hits: 2, misses: 1 });
    // The write counted no lookup.
    expect(writer.tierStats()).toEqual([
      { tier: 'memory', hits: 0, misses: 0, errors: 0 },
      { tier: 'redis', hits: 0, misses: 0, errors: 0 },
    ]);
  });

  it('stores one key in Redis with the jittered TTL', async () => {
    const shared = prefix('ttl');
    // random() = 0.5 with a jitter of 0.2 takes 10% off: 10 s become 9 s.
    const cache = open({ prefix: shared, ttlJitter: 0.2, random: () => 0.5 });
    await cache.connect();
    // The TTL as sent, read off the wire: a PTTL read back would shrink with the time passed.
    const monitor = await redis.monitor();
    const writes: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args[0]?.toLowerCase() === 'set' && args[1]?.startsWith(shared)) writes.push(args);
    });

    try {
      await cache.getOrSet('k', 10_000, () => Promise.resolve('v'));
      // MONITOR reports on its own connection, a moment after the command ran.
      for (let turn = 0; turn < 1_000 && writes.length === 0; turn += 1) {
        await new Promise((resolve) => setTimeout(resolve, 1));
      }

      expect(writes.map((args) => args.slice(3))).toEqual([['PX', '9000']]);
      expect(await keysUnder(redis, shared)).toHaveLength(1);
    } finally {
      monitor.disconnect();
    }
  });

  it('runs one factory for many concurrent callers and writes Redis once', async () => {
    const shared = prefix('stampede');
    const cache = open({ prefix: shared });
    await cache.connect();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const factory = vi.fn(async () => {
      await gate;
      return { n: 1 };
    });

    const callers = Array.from({ length: 20 }, () => cache.getOrSet('hot', 60_000, factory));
    await new Promise((resolve) => setImmediate(resolve));
    release();
    const values = await Promise.all(callers);

    expect(values.every((value) => value.n === 1)).toBe(true);
    expect(factory).toHaveBeenCalledTimes(1);
    expect(cache.stats()).toEqual({ hits: 19, misses: 1 });
    expect(await keysUnder(redis, shared)).toHaveLength(1);
  });

  it('serves from memory and reports degraded when Redis is unreachable from the start', async () => {
    const port = await closedPort();
    const cache = open({
      redisUrl: `redis://flywheel:s3cret@127.0.0.1:${port}`,
      prefix: prefix('down'),
    });
    const degraded = vi.fn();
    cache.on('degraded', degraded);

    await cache.connect();
    const factory = vi.fn(() => Promise.resolve(new Date(0)));
    const first = await cache.getOrSet('k', 60_000, factory);
    const second = await cache.getOrSet('k', 60_000, factory);

    expect(first).toEqual(new Date(0));
    expect(second).toEqual(new Date(0));
    expect(factory).toHaveBeenCalledTimes(1);
    const status = cache.status();
    expect(status.state).toBe('degraded');
    expect(status.problem).toMatch(/ECONNREFUSED/);
    expect(status.problem).toContain('serving from memory');
    expect(JSON.stringify(status)).not.toContain('s3cret');
    expect(status.redis).toBe(`redis://flywheel:***@127.0.0.1:${port}`);
    expect(status.tiers[0]).toEqual({ tier: 'memory', hits: 1, misses: 1, errors: 0 });
    expect(degraded).toHaveBeenCalledTimes(1);
  });

  it('keeps answering when a degraded listener throws', async () => {
    const port = await closedPort();
    const cache = open({ redisUrl: `redis://127.0.0.1:${port}`, prefix: prefix('listener') });
    cache.on('degraded', () => {
      throw new Error('listener bug');
    });

    await cache.connect();
    const factory = vi.fn(() => Promise.resolve('v'));

    expect(await cache.getOrSet('k', 60_000, factory)).toBe('v');
    expect(await cache.getOrSet('k', 60_000, factory)).toBe('v');
    expect(factory).toHaveBeenCalledTimes(1);
    expect(cache.status().state).toBe('degraded');
  });

  it('keeps serving from memory when Redis goes away mid-run', async () => {
    const proxy = await startTcpProxy('127.0.0.1', 6379);
    const cache = open({ redisUrl: `redis://127.0.0.1:${proxy.port}`, prefix: prefix('cut') });
    await cache.connect();
    await cache.getOrSet('before', 60_000, () => Promise.resolve(1));
    expect(cache.status().state).toBe('ok');

    await proxy.cut();
    const factory = vi.fn(() => Promise.resolve(2));
    const values = [
      await cache.getOrSet('after', 60_000, factory),
      await cache.getOrSet('after', 60_000, factory),
      await cache.getOrSet('before', 60_000, () => Promise.resolve(-1)),
    ];

    expect(values).toEqual([2, 2, 1]);
    expect(factory).toHaveBeenCalledTimes(1);
    const status = cache.status();
    expect(status.state).toBe('degraded');
    expect(status.tiers[1]?.errors).toBeGreaterThan(0);
  });
});
