/**
 * The cache: bentocache with a memory tier and, when a Redis URL is configured, Redis as the
 * shared second tier. bentocache brings the per-key lock (one factory per key at a time in a
 * process, the others wait for its value), the L2 circuit breaker and the tier promotion; this
 * file adds TTL jitter, type-keeping serialization, per-tier counts and the degraded state.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import type { Redis } from 'ioredis';
import { ConfigError } from '../errors.ts';
import { callObserver, silentLogger, type Logger } from '../observe/logger.ts';
import { redactRedisUrl } from './redis-url.ts';
import { cacheSerializer } from './serializer.ts';
import { countingDriver, type DriverCounts } from './counting-driver.ts';
import type { CacheEvents, CacheStatus, CacheTier, CacheTierStats, TieredCache } from './types.ts';

/** Options of `createTieredCache`. */
export interface TieredCacheOptions {
  /** Entries the memory tier keeps; the least recently used leave first. Default: 1000. */
  maxEntries?: number;
  /**
   * Fraction of each TTL taken off at random (0 to 1), so entries written together do not all
   * expire, and refill, at once. Default: 0.1.
   */
  ttlJitter?: number;
  /** `redis://` or `rediss://` URL of the shared tier. Default: none, memory only. */
  redisUrl?: string | undefined;
  /** Prefix of every key, in Redis too. Default: `flywheel`. */
  prefix?: string;
  /** Connect and command timeout of Redis, milliseconds. Default: 500. */
  redisTimeoutMs?: number;
  /** How long the shared tier is skipped after a failure, milliseconds. Default: 10000. */
  redisBreakMs?: number;
  /** Uniform [0, 1) source for the jitter; seed it in tests. Default: `Math.random`. */
  random?: () => number;
  /** Default: silent. */
  logger?: Logger;
}

const DEFAULT_MAX_ENTRIES = 1000;
const STORE = 'flywheel';

/** The value is boxed: bentocache refuses to store `undefined`, which a factory may return. */
interface Box {
  value: unknown;
}

/** What the Redis tier said during one `get`. */
interface GetProbe {
  isRedisHit: boolean;
}

/**
 * Creates the memory (+ Redis) cache.
 *
 * `getOrSet(key, ttlMs, factory)` answers from memory, then Redis, then runs the factory once per
 * key while other callers of that key wait for its value. `get(key)` answers from memory, then
 * Redis, or with `undefined`; `set(key, value, ttlMs)` writes both tiers. A factory's rejection reaches its caller
 * and is never stored. A TTL of 0 or less runs the factory without storing anything. When Redis
 * fails, lookups go on from memory and the factory, `status()` says `degraded`, and the shared
 * tier is retried after `redisBreakMs`.
 *
 * @throws ConfigError when `maxEntries` or `ttlJitter` is out of range.
 * @example
 * const cache = createTieredCache({ redisUrl: 'redis://127.0.0.1:6379' });
 * await cache.connect();
 * const page = await cache.getOrSet('metrics:http://a/metrics', 15_000, () => fetchPage());
 * await cache.close();
 */
export function createTieredCache(options: TieredCacheOptions = {}): TieredCache {
  return new TwoLevelCache(options);
}

type Bento = BentoCache<Record<string, ReturnType<typeof bentostore>>>;

class TwoLevelCache extends EventEmitter<CacheEvents> implements TieredCache {
  readonly tiers: readonly CacheTier[];
  /** Built at once for memory only; with Redis, on first use (see `#build`). */
  #bento: Bento | undefined;
  #building: Promise<Bento> | undefined;
  #options: TieredCacheOptions;
  #maxEntries: number;
  #events = new EventEmitter();
  #redis: Redis | undefined;
  #redisLabel: string | undefined;
  #jitter: number;
  #random: () => number;
  #logger: Logger;
  #calls = 0;
  #memoryHits = 0;
  #factoryRuns = 0;
  #getMisses = 0;
  /**
   * bentocache's `get` reports a hit from Redis as a memory ("l1") hit (bentocache 1.6,
   * Cache#get), so a `get` learns which tier answered from the Redis driver instead, through
   * this store: exact however many lookups run at once.
   */
  #getProbes = new AsyncLocalStorage<GetProbe>();
  #redisCounts: DriverCounts = { hits: 0, misses: 0, errors: 0 };
  #problem: string | undefined;
  #isFailing = false;
  #lastConnectionError: string | undefined;

  constructor(options: TieredCacheOptions) {
    super();
    this.#options = options;
    this.#maxEntries = checkMaxEntries(options.maxEntries ?? DEFAULT_MAX_ENTRIES);
    this.#jitter = checkJitter(options.ttlJitter ?? 0.1);
    this.#random = options.random ?? Math.random;
    this.#logger = (options.logger ?? silentLogger).child({ component: 'cache' });
    this.#events.on('cache:hit', (hit: { layer?: string }) => {
      // A `get` counts its own hit; see #getProbes.
      if (this.#getProbes.getStore() !== undefined) return;
      if (hit.layer === 'l1') this.#memoryHits += 1;
    });

    if (options.redisUrl === undefined) {
      // One process, nothing to share: the memory tier keeps the values themselves.
      const store = bentostore();
      store.useL1Layer(memoryDriver({ maxItems: this.#maxEntries, serialize: false }));
      this.#bento = this.#createBento(store);
      this.tiers = ['memory'];
    } else {
      this.#redisLabel = redactRedisUrl(options.redisUrl);
      this.tiers = ['memory', 'redis'];
    }
  }

  /**
   * The Redis tier's modules (ioredis and bentocache's Redis driver) load only when a Redis URL
   * is configured: loading them costs every process about 9 MB of resident memory
   * (`flywheel bench`'s import floor, docs/bench.md), and most runs have no Redis.
   */
  async #build(): Promise<Bento> {
    if (this.#bento !== undefined) return this.#bento;
    this.#building ??= this.#buildWithRedis(this.#options.redisUrl as string);

    return this.#building;
  }

  async #buildWithRedis(redisUrl: string): Promise<Bento> {
    const [{ redisDriver }, { createRedisConnection }] = await Promise.all([
      import('bentocache/drivers/redis'),
      import('./redis.ts'),
    ]);
    const store = bentostore();
    // The memory tier serializes too while Redis is on: with `serialize: false`, bentocache
    // 1.6 refills it from Redis with serialized text and then fails to read it back
    // (bentocache issue #111, fix pending in PR #113).
    store.useL1Layer(memoryDriver({ maxItems: this.#maxEntries, serialize: true }));
    const redis = createRedisConnection(redisUrl, { timeoutMs: this.#options.redisTimeoutMs });
    redis.on('error', (error: Error) => {
      // ioredis reports every failed reconnect; the state change is logged once, below.
      this.#lastConnectionError = error.message;
      this.#logger.debug({ error: error.message }, 'redis connection error');
    });
    store.useL2Layer(
      countingDriver(redisDriver({ connection: redis }), this.#redisCounts, {
        onError: (error) => this.#onRedisError(error),
        onSuccess: () => this.#onRedisSuccess(),
        onGet: (isHit) => {
          const probe = this.#getProbes.getStore();
          if (probe !== undefined) probe.isRedisHit = isHit;
        },
      }),
    );
    this.#redis = redis;
    this.#bento = this.#createBento(store);

    return this.#bento;
  }

  #createBento(store: ReturnType<typeof bentostore>): Bento {
    return new BentoCache({
      default: STORE,
      prefix: this.#options.prefix ?? 'flywheel',
      stores: { [STORE]: store },
      serializer: cacheSerializer,
      emitter: this.#events,
      logger: bentoLogger(this.#logger),
      suppressL2Errors: true,
      l2CircuitBreakerDuration: this.#options.redisBreakMs ?? 10_000,
    });
  }

  async getOrSet<T>(key: string, ttlMs: number, factory: () => Promise<T>): Promise<T> {
    this.#calls += 1;
    if (!(ttlMs > 0)) {
      this.#factoryRuns += 1;
      return factory();
    }

    const bento = this.#bento ?? (await this.#build());
    try {
      const box = await bento.getOrSet<Box>({
        key,
        ttl: this.#jittered(ttlMs),
        factory: async () => {
          this.#factoryRuns += 1;
          return { value: await factory() };
        },
      });
      return box.value as T;
    } catch (error) {
      throw unwrapFactoryError(error);
    }
  }

  async get<T>(key: string): Promise<T | undefined> {
    this.#calls += 1;
    const bento = await this.#build();
    const probe: GetProbe = { isRedisHit: false };
    const box = await this.#getProbes.run(probe, () => bento.get<Box>({ key }));
    if (box === undefined || box === null) {
      this.#getMisses += 1;
      return undefined;
    }
    // The Redis driver counted its own hit; the memory tier answered otherwise.
    if (!probe.isRedisHit) this.#memoryHits += 1;

    return box.value as T;
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    if (!(ttlMs > 0)) return;
    const box: Box = { value };
    await (await this.#build()).set({ key, value: box, ttl: this.#jittered(ttlMs) });
  }

  stats(): { hits: number; misses: number } {
    return {
      hits: this.#memoryHits + this.#redisCounts.hits,
      misses: this.#factoryRuns + this.#getMisses,
    };
  }

  tierStats(): CacheTierStats[] {
    const memory: CacheTierStats = {
      tier: 'memory',
      hits: this.#memoryHits,
      misses: this.#calls - this.#memoryHits,
      errors: 0,
    };
    if (!this.tiers.includes('redis')) return [memory];

    return [memory, { tier: 'redis', ...this.#redisCounts }];
  }

  status(): CacheStatus {
    const base = {
      tiers: this.tierStats(),
      ...(this.#redisLabel ? { redis: this.#redisLabel } : {}),
    };
    if (this.#problem === undefined) return { state: 'ok', ...base };

    return { state: 'degraded', problem: this.#problem, ...base };
  }

  async delete(key: string): Promise<void> {
    await (await this.#build()).delete({ key });
  }

  async clear(): Promise<void> {
    await (await this.#build()).clear();
  }

  async connect(): Promise<void> {
    if (!this.tiers.includes('redis')) return;
    await this.#build();
    const redis = this.#redis;
    if (redis === undefined || redis.status !== 'wait') return;

    try {
      await redis.connect();
      this.#logger.debug({ redis: this.#redisLabel }, 'redis connected');
    } catch (error) {
      this.#onRedisError(error);
    }
  }

  async close(): Promise<void> {
    // A Redis tier never used was never built: there is no connection to close.
    const bento = this.#bento ?? (await this.#building);
    await bento?.disconnect();
  }

  #jittered(ttlMs: number): number {
    const cut = ttlMs * this.#jitter * this.#random();
    return Math.max(1, Math.round(ttlMs - cut));
  }

  #onRedisError(error: unknown): void {
    const reason = this.#describeRedisError(error);
    const problem = `redis tier failing (${this.#redisLabel ?? 'redis'}): ${reason}; serving from memory`;
    this.#problem = problem;
    if (this.#isFailing) return;

    this.#isFailing = true;
    this.#logger.warn({ redis: this.#redisLabel, error: reason }, 'cache degraded');
    this.#notify('degraded', () => this.emit('degraded', problem));
  }

  #onRedisSuccess(): void {
    if (!this.#isFailing) return;

    // The problem stays in `status()`: the run was degraded for a while, and says so.
    this.#isFailing = false;
    this.#logger.info({ redis: this.#redisLabel }, 'cache recovered');
    this.#notify('recovered', () => this.emit('recovered'));
  }

  /**
   * Emits to the listeners. One that throws is logged, never raised: these events fire inside a
   * Redis operation, whose own outcome must not change because an observer failed.
   */
  #notify(event: keyof CacheEvents, emit: () => boolean): void {
    callObserver(this.#logger, event, 'cache listener failed', emit);
  }

  #describeRedisError(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    // With the offline queue off, a command sent while disconnected says only that the stream
    // is not writeable; the connection's own error says why.
    if (/enableOfflineQueue|not writeable|Connection is closed/i.test(message)) {
      return `not connected${this.#lastConnectionError ? ` (${this.#lastConnectionError})` : ''}`;
    }
    return message;
  }
}

function checkMaxEntries(maxEntries: number): number {
  if (Number.isInteger(maxEntries) && maxEntries >= 1) return maxEntries;
  throw new ConfigError(
    `cache maxEntries is ${String(maxEntries)}; expected a positive integer such as 1000`,
    { details: { maxEntries: String(maxEntries) } },
  );
}

function checkJitter(jitter: number): number {
  if (jitter >= 0 && jitter <= 1) return jitter;
  throw new ConfigError(
    `cache ttlJitter is ${String(jitter)}; expected a fraction from 0 to 1 such as 0.1`,
    { details: { ttlJitter: String(jitter) } },
  );
}

/** bentocache wraps a factory's error; callers get their own error back. */
function unwrapFactoryError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'E_FACTORY_ERROR' && error instanceof Error && error.cause !== undefined) {
    return error.cause;
  }
  return error;
}

/**
 * bentocache logs each failed Redis operation at error level; the cache logs the state change
 * once instead, so bentocache's lines go to debug and trace.
 */
function bentoLogger(logger: Logger): ConstructorParameters<typeof BentoCache>[0]['logger'] {
  const write =
    (level: 'trace' | 'debug') =>
    (first: unknown, message?: string): void => {
      if (typeof first === 'string') logger[level]({}, first);
      else logger[level]((first ?? {}) as Record<string, unknown>, message ?? '');
    };
  const adapter = {
    trace: write('trace'),
    debug: write('debug'),
    info: write('debug'),
    warn: write('debug'),
    error: write('debug'),
    fatal: write('debug'),
    child: (bindings: Record<string, unknown>) => bentoLogger(logger.child(bindings)),
  };
  return adapter as ConstructorParameters<typeof BentoCache>[0]['logger'];
}
