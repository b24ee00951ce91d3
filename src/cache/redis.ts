/** The Redis connection of the shared tier, tuned to fail fast so the memory tier carries on. */
import { Redis } from 'ioredis';

/** Options of `createRedisConnection`. */
export interface RedisConnectionOptions {
  /** Connect and command timeout, milliseconds. Default: 500. */
  timeoutMs?: number;
  /** Longest wait between reconnect attempts, milliseconds. Default: 5000. */
  maxReconnectDelayMs?: number;
}

/**
 * Opens (lazily) a connection for the cache. Commands sent while it is down fail at once instead
 * of queueing: ioredis' default offline queue would hold every lookup until Redis returned,
 * stalling the run that the memory tier could have carried. Reconnects go on in the background
 * with a doubling delay.
 */
export function createRedisConnection(url: string, options: RedisConnectionOptions = {}): Redis {
  const timeoutMs = options.timeoutMs ?? 500;
  const maxDelayMs = options.maxReconnectDelayMs ?? 5_000;

  return new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, maxDelayMs),
  });
}
