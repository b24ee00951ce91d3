/** Picks the run's cache from the config: none (naive), memory, or memory + Redis. */
import type { AppConfig } from '../config/schema.ts';
import type { Logger } from '../observe/logger.ts';
import { createNoCache } from './no-cache.ts';
import { createTieredCache, type TieredCacheOptions } from './two-level.ts';
import type { TieredCache } from './types.ts';

/** The cache options that `config.cache` sets. */
export function cacheOptionsFrom(config: AppConfig): TieredCacheOptions {
  const { cache } = config;
  return {
    maxEntries: cache.maxEntries,
    ttlJitter: cache.ttlJitter,
    redisUrl: cache.redisUrl,
    prefix: cache.prefix,
    redisTimeoutMs: cache.redisTimeoutMs,
    redisBreakMs: cache.redisBreakMs,
  };
}

/**
 * The cache a run uses: none in the naive profile, else memory, with Redis as the second tier
 * when `cache.redisUrl` is set. Call `connect()` before use and `close()` after.
 *
 * @example
 * const cache = createCache(config, logger);
 * await cache.connect();
 */
export function createCache(config: AppConfig, logger?: Logger): TieredCache {
  if (config.profile === 'naive') return createNoCache();
  return createTieredCache({ ...cacheOptionsFrom(config), ...(logger ? { logger } : {}) });
}
