/** The memory-only cache, for callers and tests that want no Redis whatever the config says. */
import { createTieredCache, type TieredCacheOptions } from './two-level.ts';
import type { TieredCache } from './types.ts';

/** Options of `createMemoryCache`: those of `createTieredCache` without Redis. */
export type MemoryCacheOptions = Omit<
  TieredCacheOptions,
  'redisUrl' | 'redisTimeoutMs' | 'redisBreakMs'
>;

/**
 * Creates a cache with the memory tier only.
 *
 * @throws ConfigError when `maxEntries` or `ttlJitter` is out of range.
 * @example
 * const cache = createMemoryCache({ maxEntries: 500 });
 * const page = await cache.getOrSet('metrics:http://a/metrics', 15_000, () => fetchPage());
 */
export function createMemoryCache(options: MemoryCacheOptions = {}): TieredCache {
  return createTieredCache({ ...options, redisUrl: undefined });
}
