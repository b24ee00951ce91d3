import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isConfigError } from '../errors.ts';
import { createMemoryCache } from './memory.ts';

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(e: Error): void } {
  let resolve!: (value: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createMemoryCache', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('returns the stored value until the TTL runs out', async () => {
    const cache = createMemoryCache();
    const factory = vi.fn(() => Promise.resolve(42));

    expect(await cache.getOrSet('k', 1_000, factory)).toBe(42);
    vi.advanceTimersByTime(999);
    expect(await cache.getOrSet('k', 1_000, factory)).toBe(42);
    vi.advanceTimersByTime(1);
    expect(await cache.getOrSet('k', 1_000, factory)).toBe(42);

    expect(factory).toHaveBeenCalledTimes(2);
    expect(cache.stats()).toEqual({ hits: 1, misses: 2 });
  });

  it('runs the factory once for concurrent callers of one key', async () => {
    const cache = createMemoryCache();
    const gate = deferred<string>();
    const factory = vi.fn(() => gate.promise);

    const first = cache.getOrSet('k', 1_000, factory);
    const second = cache.getOrSet('k', 1_000, factory);
    gate.resolve('v');

    expect(await Promise.all([first, second])).toEqual(['v', 'v']);
    expect(factory).toHaveBeenCalledTimes(1);
    expect(cache.stats()).toEqual({ hits: 1, misses: 1 });
  });

  it('does not store rejections and lets the next call retry', async () => {
    const cache = createMemoryCache();
    const gate = deferred<number>();
    const first = cache.getOrSet('k', 1_000, () => gate.promise);
    const joined = cache.getOrSet('k', 1_000, () => Promise.resolve(0));
    gate.reject(new Error('down'));

    await expect(first).rejects.toThrow('down');
    await expect(joined).rejects.toThrow('down');
    expect(await cache.getOrSet('k', 1_000, () => Promise.resolve(7))).toBe(7);
    expect(cache.size).toBe(1);
  });

  it('unlinks a factory that throws synchronously', async () => {
    const cache = createMemoryCache();
    const throwing = (): Promise<number> => {
      throw new Error('sync');
    };

    await expect(cache.getOrSet('k', 1_000, throwing)).rejects.toThrow('sync');
    expect(await cache.getOrSet('k', 1_000, () => Promise.resolve(1))).toBe(1);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const cache = createMemoryCache({ maxEntries: 2 });
    await cache.getOrSet('a', 1_000, () => Promise.resolve('a'));
    await cache.getOrSet('b', 1_000, () => Promise.resolve('b'));
    await cache.getOrSet('a', 1_000, () => Promise.resolve('a2'));
    await cache.getOrSet('c', 1_000, () => Promise.resolve('c'));

    expect(cache.size).toBe(2);
    expect(await cache.getOrSet('a', 1_000, () => Promise.resolve('a3'))).toBe('a');
    expect(await cache.getOrSet('b', 1_000, () => Promise.resolve('b2'))).toBe('b2');
  });

  it('does not store values with a TTL of zero', async () => {
    const cache = createMemoryCache();
    await cache.getOrSet('k', 0, () => Promise.resolve(1));

    expect(cache.size).toBe(0);
  });

  it('drops the result of a factory whose key was deleted meanwhile', async () => {
    const cache = createMemoryCache();
    const gate = deferred<number>();
    const running = cache.getOrSet('k', 1_000, () => gate.promise);
    cache.delete('k');
    gate.resolve(1);

    expect(await running).toBe(1);
    expect(cache.size).toBe(0);
    cache.clear();
    expect(cache.stats()).toEqual({ hits: 0, misses: 1 });
  });

  it('rejects a maxEntries that is not a positive integer', () => {
    let caught: unknown;
    try {
      createMemoryCache({ maxEntries: 0 });
    } catch (error) {
      caught = error;
    }

    expect(isConfigError(caught)).toBe(true);
    expect((caught as Error).message).toBe(
      'cache maxEntries is 0; expected a positive integer such as 1000',
    );
  });
});
