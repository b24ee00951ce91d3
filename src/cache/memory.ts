/**
 * The in-memory cache of the embedded mode: a Map with per-entry TTL, a size bound and in-flight
 * de-duplication. A later two-level cache (memory + Redis) keeps the same `Cache` interface.
 */
import { ConfigError } from '../errors.ts';
import type { Cache } from '../pipeline/types.ts';

/** Options of `createMemoryCache`. */
export interface MemoryCacheOptions {
  /** Entries kept at most; the least recently used goes first. Default: 1000. */
  maxEntries?: number;
  /** The clock, in epoch milliseconds. Default: `Date.now` (fake timers replace it in tests). */
  now?: () => number;
}

/** A `Cache` that also lets callers drop entries and see its size. */
export interface MemoryCache extends Cache {
  /** Removes one entry; a factory still running for it will not store its result. */
  delete(key: string): void;
  /** Removes every entry and forgets running factories' results. */
  clear(): void;
  /** Stored entries, expired ones not yet swept included. */
  readonly size: number;
}

interface Entry {
  value: unknown;
  /** Epoch milliseconds; Infinity for no expiry. */
  expiresAt: number;
}

interface Slot {
  promise: Promise<unknown> | undefined;
}

const DEFAULT_MAX_ENTRIES = 1000;

/**
 * Creates an in-memory cache.
 *
 * `getOrSet` runs the factory once per key while it is pending: concurrent callers share its
 * promise. Results live `ttlMs` milliseconds (0 or less: not stored); rejections are never stored.
 * `stats()` counts a miss per factory run and a hit per call answered without one.
 *
 * @throws ConfigError when `maxEntries` is not a positive integer.
 * @example
 * const cache = createMemoryCache({ maxEntries: 500 });
 * const page = await cache.getOrSet('metrics:http://a/metrics', 15_000, () => fetchPage());
 */
export function createMemoryCache(options: MemoryCacheOptions = {}): MemoryCache {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new ConfigError(
      `cache maxEntries is ${String(maxEntries)}; expected a positive integer such as 1000`,
      { details: { maxEntries: String(maxEntries) } },
    );
  }

  const now = options.now ?? (() => Date.now());
  const entries = new Map<string, Entry>();
  const pending = new Map<string, Slot>();
  let hits = 0;
  let misses = 0;

  function read(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }

    // Re-inserting moves the key to the end of the Map's order, which is our recency order.
    entries.delete(key);
    entries.set(key, entry);
    return entry;
  }

  function store(key: string, value: unknown, ttlMs: number): void {
    if (!(ttlMs > 0)) return;
    entries.delete(key);
    entries.set(key, { value, expiresAt: now() + ttlMs });

    while (entries.size > maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done === true) break;
      entries.delete(oldest.value);
    }
  }

  /** Runs the factory; `slot` identifies this run, so a stale run never stores or unlinks. */
  async function run<T>(key: string, ttlMs: number, slot: Slot, factory: () => Promise<T>) {
    try {
      const value = await factory();
      if (pending.get(key) === slot) store(key, value, ttlMs);
      return value;
    } finally {
      if (pending.get(key) === slot) pending.delete(key);
    }
  }

  return {
    getOrSet<T>(key: string, ttlMs: number, factory: () => Promise<T>): Promise<T> {
      const entry = read(key);
      if (entry !== undefined) {
        hits += 1;
        return Promise.resolve(entry.value as T);
      }

      const inFlight = pending.get(key)?.promise;
      if (inFlight !== undefined) {
        hits += 1;
        return inFlight as Promise<T>;
      }

      misses += 1;
      // The slot is registered before the factory starts: a factory that throws synchronously
      // must still find it to unlink it.
      const slot: Slot = { promise: undefined };
      pending.set(key, slot);
      const promise = run(key, ttlMs, slot, factory);
      slot.promise = promise;
      return promise;
    },
    stats: () => ({ hits, misses }),
    delete(key: string): void {
      entries.delete(key);
      pending.delete(key);
    },
    clear(): void {
      entries.clear();
      pending.clear();
    },
    get size(): number {
      return entries.size;
    },
  };
}
