/** The cache: memory, plus Redis as a shared second tier when configured; none in the naive profile. */
export { cacheOptionsFrom, createCache } from './create.ts';
export { createMemoryCache } from './memory.ts';
export type { MemoryCacheOptions } from './memory.ts';
export { createNoCache } from './no-cache.ts';
export { redactRedisUrl } from './redis-url.ts';
export { cacheSerializer } from './serializer.ts';
export type { CacheSerializer } from './serializer.ts';
export { createTieredCache } from './two-level.ts';
export type { TieredCacheOptions } from './two-level.ts';
export type {
  CacheEvents,
  CacheState,
  CacheStatus,
  CacheTier,
  CacheTierStats,
  TieredCache,
} from './types.ts';
