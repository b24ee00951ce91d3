/**
 * Refreshes the counts of recent posts through each platform's batch lookup endpoint, so the
 * engine scores fresh numbers. A platform that fails is logged and reported, never fatal.
 *
 * Ids are de-duplicated per platform and sent `batchSize` at a time (Bluesky 25, Reddit 100,
 * YouTube 50, Mastodon 20, Hacker News 1), so a platform with n posts to refresh costs
 * ceil(n / batchSize) requests. Each answer is cached per post for `refreshCacheTtlMs`: a
 * second refresh within that time (a retried task, a task run alone after the pipeline, a
 * worker on the same Redis tier) asks only for the posts not in the cache. The naive profile
 * sends one id per request and uses no cache, as the baseline of the benchmarks.
 *
 * The requests reported are counted at the HTTP client the adapter was given, so a Mastodon
 * instance without the batch endpoint shows its real cost (one refused batch, then one request
 * per status), as does a Reddit token fetched on the way.
 */
import { describeError } from '../../errors.ts';
import { mapBounded } from '../../http/batch.ts';
import type { HttpClient } from '../../http/types.ts';
import type { AdapterContext, PlatformAdapter, PlatformName, Post } from '../../platforms/types.ts';
import type { Cache, TaskContext } from '../../pipeline/types.ts';
import type { EngineOptions } from './options.ts';

/** What the refresh did on one platform. */
export interface PlatformRefresh {
  platform: PlatformName;
  /** Recent posts to refresh, de-duplicated. */
  posts: number;
  /** Posts answered from the cache, without a request. */
  cached: number;
  /** Ids per lookup request: the adapter's batch size, or 1 in the naive profile. */
  batchSize: number;
  /** Lookup batches sent: ceil((posts - cached) / batchSize). */
  batches: number;
  /** HTTP requests made (failed ones, one-by-one fallbacks and token fetches included). */
  requests: number;
  /** New count snapshots stored. */
  refreshed: number;
  /** Lookup batches that failed. */
  failed: number;
}

/** What the refresh did. */
export interface RefreshReport {
  /** HTTP requests made, per platform (failed ones included). */
  requests: Partial<Record<PlatformName, number>>;
  /** New count snapshots stored. */
  refreshed: number;
  /** One line per failed lookup batch: `platform: message`. */
  errors: string[];
  /** Platforms with recent posts that were skipped: down per the health task, or no adapter. */
  skipped: PlatformName[];
  /** Per refreshed platform, in the order refreshed. */
  platforms: PlatformRefresh[];
}

/** Splits `items` into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  const step = Math.max(1, Math.floor(size));
  for (let i = 0; i < items.length; i += step) chunks.push(items.slice(i, i + step));

  return chunks;
}

/** The cache key of one post's refreshed counts. */
export function refreshCacheKey(platform: PlatformName, postId: string): string {
  return `engine:refresh:${platform}:${postId}`;
}

/**
 * Re-reads the posts created within `refreshMaxAgeHours` of `ctx.now()` in batches of the
 * adapter's `batchSize` (1 when `isBatched` is off) and stores the answers as snapshots.
 */
export async function refreshRecent(
  ctx: TaskContext,
  adapters: Partial<Record<PlatformName, PlatformAdapter>>,
  options: EngineOptions,
): Promise<RefreshReport> {
  const report: RefreshReport = {
    requests: {},
    refreshed: 0,
    errors: [],
    skipped: [],
    platforms: [],
  };
  if (options.refreshMaxAgeHours <= 0) return report;

  const since = new Date(ctx.now().getTime() - options.refreshMaxAgeHours * 3_600_000);
  const idsByPlatform = new Map<PlatformName, Set<string>>();
  for (const post of ctx.store.listPosts({
    createdSince: since.toISOString(),
    withSnapshots: false,
  })) {
    const ids = idsByPlatform.get(post.platform) ?? new Set<string>();
    ids.add(post.postId);
    idsByPlatform.set(post.platform, ids);
  }

  for (const [platform, ids] of idsByPlatform) {
    const adapter = adapters[platform];
    if (adapter === undefined || ctx.downPlatforms.has(platform)) {
      report.skipped.push(platform);
      continue;
    }
    const done = await refreshPlatform(ctx, adapter, [...ids], options, report);
    report.platforms.push(done);
    report.requests[platform] = done.requests;
    report.refreshed += done.refreshed;
  }

  return report;
}

async function refreshPlatform(
  ctx: TaskContext,
  adapter: PlatformAdapter,
  ids: readonly string[],
  options: EngineOptions,
  report: RefreshReport,
): Promise<PlatformRefresh> {
  const logger = ctx.logger.child({ platform: adapter.name });
  const counter = countRequests(ctx.http);
  const adapterCtx: AdapterContext = {
    http: counter.http,
    signal: ctx.signal,
    logger,
    now: ctx.now,
  };
  const ttlMs = options.refreshCacheTtlMs;
  const cached = ttlMs > 0 ? await readCached(ctx.cache, adapter.name, ids) : [];
  const cachedIds = new Set(cached.map((post) => post.postId));
  const missing = ids.filter((id) => !cachedIds.has(id));
  const batchSize = options.isBatched ? adapter.batchSize : 1;
  const batches = chunk(missing, batchSize);

  const results = await mapBounded(
    batches,
    options.refreshConcurrency,
    (batch) => adapter.lookup(batch, adapterCtx),
    ctx.signal,
  );

  const done: PlatformRefresh = {
    platform: adapter.name,
    posts: ids.length,
    cached: cached.length,
    batchSize,
    batches: batches.length,
    requests: 0,
    refreshed: ctx.store.recordSnapshots(cached).recorded,
    failed: 0,
  };
  for (const result of results) {
    if (result.ok) {
      done.refreshed += ctx.store.recordSnapshots(result.value).recorded;
      if (ttlMs > 0) await writeCached(ctx.cache, result.value, ttlMs, logger);
    } else {
      done.failed++;
      report.errors.push(`${adapter.name}: ${describeError(result.error)}`);
    }
  }
  done.requests = counter.count();
  if (done.failed > 0) {
    logger.warn({ failed: done.failed, requests: done.requests }, 'refresh lookups failed');
  }
  logger.debug({ ...done }, 'refresh done');

  return done;
}

/** An HTTP client that counts the requests made through it. */
function countRequests(http: HttpClient): { http: HttpClient; count: () => number } {
  let requests = 0;
  const counted: HttpClient = {
    request: (url, init) => {
      requests++;
      return http.request(url, init);
    },
    stats: () => http.stats(),
    close: () => http.close(),
  };

  return { http: counted, count: () => requests };
}

/**
 * The posts of `ids` the cache still holds; each id is one counted lookup (a hit or a miss).
 * A tier that fails must not stop the refresh: that id is simply looked up again.
 */
async function readCached(
  cache: Cache,
  platform: PlatformName,
  ids: readonly string[],
): Promise<Post[]> {
  const reads = await Promise.allSettled(
    ids.map((id) => cache.get<Post>(refreshCacheKey(platform, id))),
  );
  const posts: Post[] = [];
  for (const read of reads) {
    // A rejection (a failing tier) means "look it up", like an absent key.
    if (read.status === 'fulfilled' && read.value !== undefined) posts.push(read.value);
  }

  return posts;
}

/** Stores the refreshed posts; a write that fails only costs a lookup next time. */
async function writeCached(
  cache: Cache,
  posts: readonly Post[],
  ttlMs: number,
  logger: TaskContext['logger'],
): Promise<void> {
  const writes = await Promise.allSettled(
    posts.map((post) => cache.set(refreshCacheKey(post.platform, post.postId), post, ttlMs)),
  );
  const failed = writes.filter((write) => write.status === 'rejected');
  if (failed.length > 0) {
    logger.warn(
      { failed: failed.length, error: describeError(failed[0]!.reason) },
      'cache writes failed',
    );
  }
}
