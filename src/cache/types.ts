/** The shapes the cache shares with the runner, the report and the metrics. */
import type { Cache } from '../pipeline/types.ts';

/** A level of the cache: `memory` (per process) or `redis` (shared). */
export type CacheTier = 'memory' | 'redis';

/** Lookups answered at one tier. */
export interface CacheTierStats {
  tier: CacheTier;
  /** Lookups this tier answered. */
  hits: number;
  /** Lookups this tier could not answer (the next tier, or the factory, did). */
  misses: number;
  /** Operations that failed at this tier (Redis unreachable, timed out); 0 for memory. */
  errors: number;
}

/** `off`: no cache (naive profile); `degraded`: a tier failed and the others carried on. */
export type CacheState = 'ok' | 'degraded' | 'off';

/** What the report says about the cache. */
export interface CacheStatus {
  state: CacheState;
  tiers: CacheTierStats[];
  /** Why the cache is degraded; absent otherwise. Never holds credentials. */
  problem?: string;
  /** The Redis URL with its password masked, when the shared tier is configured. */
  redis?: string;
}

/** Events of a `TieredCache`. */
export interface CacheEvents {
  /** The shared tier failed; the memory tier keeps serving. */
  degraded: [problem: string];
  /** The shared tier answered again after failing. */
  recovered: [];
}

/** A `Cache` with tiers, per-tier counts and a lifecycle. */
export interface TieredCache extends Cache {
  /** The tiers in lookup order; empty when caching is off. */
  readonly tiers: readonly CacheTier[];
  /** Per-tier counts since creation. */
  tierStats(): CacheTierStats[];
  status(): CacheStatus;
  /** Removes one key from every tier. */
  delete(key: string): Promise<void>;
  /** Removes every key under this cache's prefix from every tier. */
  clear(): Promise<void>;
  /** Waits (bounded by the Redis timeout) for the shared tier; never throws. */
  connect(): Promise<void>;
  /** Closes the Redis connection; the cache must not be used afterwards. */
  close(): Promise<void>;
  on<K extends keyof CacheEvents>(event: K, listener: (...args: CacheEvents[K]) => void): this;
}
