import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isConfigError } from '../errors.ts';
import { createMemoryCache } from './memory.ts';
import { createNoCache } from './no-cache.ts';
import { createTieredCache } from './two-level.ts';

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(e: Error): void } {
  let resolve!: (value: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createTieredCache, memory tier only', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('returns the stored value until the TTL runs out', async () => {
    const cache = createMemoryCache({ ttlJitter: 0 });
    const factory = vi.fn(() => Promise.resolve(42));

    expect(await cache.getOrSet('k', 1_000, factory)).toBe(42);
    vi.advanceTimersByTime(999);
    expect(await cache.getOrSet('k', 1_000, factory)).toBe(42);
    vi.advanceTimersByTime(1);
    expect(await cache.getOrSet('k', 1_000, factory)).toBe(42);

    expect(factory).toHaveBeenCalledTimes(2);
    expect(cache.stats()).toEqual({ hits: 1, misses: 2 });
    expect(cache.tierStats()).toEqual([{ tier: 'memory', hits: 1, misses: 2, errors: 0 }]);
  });

  it('takes a seeded share of each TTL off as jitter', async () => {
    // random() = 0.5 with a jitter of 0.2 takes 10% off: 1000 ms live 900 ms.
    const cache = createMemoryCache({ ttlJitter: 0.2, random: () => 0.5 });
    const factory = vi.fn(() => Promise.resolve('v'));

    await cache.getOrSet('k', 1_000, factory);
    vi.advanceTimersByTime(899);
    await cache.getOrSet('k', 1_000, factory);
    expect(factory).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    await cache.getOrSet('k', 1_000, factory);

    expect(factory).toHaveBeenCalledTimes(2);
  });

  it('runs the factory once for concurrent callers of one key', async () => {
    const cache = createMemoryCache();
    const gate = deferred<string>();
    const factory = vi.fn(() => gate.promise);

    const callers = Array.from({ length: 5 }, () => cache.getOrSet('k', 1_000, factory));
    await vi.advanceTimersByTimeAsync(0);
    gate.resolve('v');

    expect(await Promise.all(callers)).toEqual(['v', 'v', 'v', 'v', 'v']);
    expect(factory).toHaveBeenCalledTimes(1);
    expect(cache.stats()).toEqual({ hits: 4, misses: 1 });
  });

  it('gives a rejection to its caller, stores nothing and lets the next call retry', async () => {
    const cache = createMemoryCache();
    const failure = new Error('down');

    await expect(cache.getOrSet('k', 1_000, () => Promise.reject(failure))).rejects.toBe(failure);
    expect(await cache.getOrSet('k', 1_000, () => Promise.resolve(7))).toBe(7);
    expect(cache.stats()).toEqual({ hits: 0, misses: 2 });
  });

  it('turns a factory that throws synchronously into a rejection', async () => {
    const cache = createMemoryCache();
    const throwing = (): Promise<number> => {
      throw new Error('sync');
    };

    await expect(cache.getOrSet('k', 1_000, throwing)).rejects.toThrow('sync');
    expect(await cache.getOrSet('k', 1_000, () => Promise.resolve(1))).toBe(1);
  });

  it('keeps undefined and null values', async () => {
    const cache = createMemoryCache();
    const factory = vi.fn(() => Promise.resolve(undefined));

    expect(await cache.getOrSet('u', 1_000, factory)).toBeUndefined();
    expect(await cache.getOrSet('u', 1_000, factory)).toBeUndefined();
    expect(await cache.getOrSet('n', 1_000, () => Promise.resolve(null))).toBeNull();
    expect(factory).toHaveBeenCalledTimes(1);
  });

  it('reads with get and writes with set, counting each read once', async () => {
    const cache = createMemoryCache({ ttlJitter: 0 });

    expect(await cache.get('k')).toBeUndefined();
    await cache.set('k', { n: 1 }, 1_000);
    expect(await cache.get('k')).toEqual({ n: 1 });
    vi.advanceTimersByTime(1_000);
    expect(await cache.get('k')).toBeUndefined();

    // Two misses and one hit: the write is not a lookup.
    expect(cache.stats()).toEqual({ hits: 1, misses: 2 });
    expect(cache.tierStats()).toEqual([{ tier: 'memory', hits: 1, misses: 2, errors: 0 }]);
  });

  it('shares entries between get, set and getOrSet', async () => {
    const cache = createMemoryCache();
    const factory = vi.fn(() => Promise.resolve('from factory'));
    await cache.set('a', 'from set', 1_000);
    await cache.getOrSet('b', 1_000, factory);

    expect(await cache.getOrSet('a', 1_000, factory)).toBe('from set');
    expect(await cache.get('b')).toBe('from factory');
    expect(factory).toHaveBeenCalledTimes(1);
    expect(cache.stats()).toEqual({ hits: 2, misses: 1 });
  });

  it('stores nothing with set and a TTL of zero', async () => {
    const cache = createMemoryCache();
    await cache.set('k', 1, 0);

    expect(await cache.get('k')).toBeUndefined();
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const cache = createMemoryCache({ maxEntries: 2 });
    await cache.getOrSet('a', 1_000, () => Promise.resolve('a'));
    await cache.getOrSet('b', 1_000, () => Promise.resolve('b'));
    await cache.getOrSet('a', 1_000, () => Promise.resolve('a2'));
    await cache.getOrSet('c', 1_000, () => Promise.resolve('c'));

    expect(await cache.getOrSet('a', 1_000, () => Promise.resolve('a3'))).toBe('a');
    expect(await cache.getOrSet('b', 1_000, () => Promise.resolve('b2'))).toBe('b2');
  });

  it('does not store values with a TTL of zero', async () => {
    const cache = createMemoryCache();
    const factory = vi.fn(() => Promise.resolve(1));
    await cache.getOrSet('k', 0, factory);
    await cache.getOrSet('k', 0, factory);

    expect(factory).toHaveBeenCalledTimes(2);
  });

  it('forgets deleted and cleared keys', async () => {
    const cache = createMemoryCache();
    const factory = vi.fn(() => Promise.resolve(1));
    await cache.getOrSet('k', 1_000, factory);
    await cache.delete('k');
    await cache.getOrSet('k', 1_000, factory);
    await cache.clear();
    await cache.getOrSet('k', 1_000, factory);

    expect(factory).toHaveBeenCalledTimes(3);
  });

  it('says ok with the memory tier alone and names no Redis', () => {
    const cache = createMemoryCache();

    expect(cache.tiers).toEqual(['memory']);
    expect(cache.status()).toEqual({
      state: 'ok',
      tiers: [{ tier: 'memory', hits: 0, misses: 0, errors: 0 }],
    });
  });

  it('rejects a maxEntries that is not a positive integer and a jitter outside 0..1', () => {
    const errors = [
      () => createTieredCache({ maxEntries: 0 }),
      () => createTieredCache({ ttlJitter: 1.5 }),
    ].map((make) => {
      try {
        make();
      } catch (error) {
        return error;
      }
      return undefined;
    });

    expect(errors.every(isConfigError)).toBe(true);
    expect((errors[0] as Error).message).toBe(
      'cache maxEntries is 0; expected a positive integer such as 1000',
    );
    expect((errors[1] as Error).message).toBe(
      'cache ttlJitter is 1.5; expected a fraction from 0 to 1 such as 0.1',
    );
  });
});

describe('createNoCache', () => {
  it('runs every factory and reports itself off', async () => {
    const cache = createNoCache();
    const factory = vi.fn(() => Promise.resolve(1));
    await cache.getOrSet('k', 1_000, factory);
    await cache.getOrSet('k', 1_000, factory);

    await cache.set('k', 1, 1_000);
    expect(await cache.get('k')).toBeUndefined();

    expect(factory).toHaveBeenCalledTimes(2);
    expect(cache.stats()).toEqual({ hits: 0, misses: 3 });
    expect(cache.status()).toEqual({ state: 'off', tiers: [] });
  });
});
