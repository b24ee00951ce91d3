/** The naive profile's cache: none. Every lookup runs its factory, so a run can be compared with its uncached self. */
import { EventEmitter } from 'node:events';
import type { CacheEvents, CacheStatus, CacheTierStats, TieredCache } from './types.ts';

/**
 * Creates a cache that stores nothing: `getOrSet` always runs the factory and counts a miss,
 * `get` always misses, `set` keeps nothing; `status()` says `off`.
 *
 * @example
 * const cache = config.profile === 'naive' ? createNoCache() : createTieredCache(options);
 */
export function createNoCache(): TieredCache {
  return new NoCache();
}

class NoCache extends EventEmitter<CacheEvents> implements TieredCache {
  readonly tiers = [] as const;
  #misses = 0;

  getOrSet<T>(_key: string, _ttlMs: number, factory: () => Promise<T>): Promise<T> {
    this.#misses += 1;
    return factory();
  }

  get<T>(): Promise<T | undefined> {
    this.#misses += 1;
    return Promise.resolve(undefined);
  }

  set(): Promise<void> {
    return Promise.resolve();
  }

  stats(): { hits: number; misses: number } {
    return { hits: 0, misses: this.#misses };
  }

  tierStats(): CacheTierStats[] {
    return [];
  }

  status(): CacheStatus {
    return { state: 'off', tiers: [] };
  }

  delete(): Promise<void> {
    return Promise.resolve();
  }

  clear(): Promise<void> {
    return Promise.resolve();
  }

  connect(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
