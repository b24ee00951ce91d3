/**
 * Refreshes the counts of recent posts through each platform's batch lookup endpoint, so the
 * engine scores fresh numbers. A platform that fails is logged and reported, never fatal.
 */
import { describeError } from '../../errors.ts';
import { mapBounded } from '../../http/batch.ts';
import type { AdapterContext, PlatformAdapter, PlatformName } from '../../platforms/types.ts';
import type { TaskContext } from '../../pipeline/types.ts';
import type { EngineOptions } from './options.ts';

/** What the refresh did. */
export interface RefreshReport {
  /** Lookup requests made, per platform (failed ones included). */
  requests: Partial<Record<PlatformName, number>>;
  /** New count snapshots stored. */
  refreshed: number;
  /** One line per failed lookup request: `platform: message`. */
  errors: string[];
  /** Platforms with recent posts that were skipped: down per the health task, or no adapter. */
  skipped: PlatformName[];
}

/** Splits `items` into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  const step = Math.max(1, Math.floor(size));
  for (let i = 0; i < items.length; i += step) chunks.push(items.slice(i, i + step));

  return chunks;
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
  const report: RefreshReport = { requests: {}, refreshed: 0, errors: [], skipped: [] };
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
    await refreshPlatform(ctx, adapter, [...ids], options, report);
  }

  return report;
}

async function refreshPlatform(
  ctx: TaskContext,
  adapter: PlatformAdapter,
  ids: readonly string[],
  options: EngineOptions,
  report: RefreshReport,
): Promise<void> {
  const logger = ctx.logger.child({ platform: adapter.name });
  const adapterCtx: AdapterContext = { http: ctx.http, signal: ctx.signal, logger, now: ctx.now };
  const batches = chunk(ids, options.isBatched ? adapter.batchSize : 1);
  report.requests[adapter.name] = batches.length;

  const results = await mapBounded(
    batches,
    options.refreshConcurrency,
    (batch) => adapter.lookup(batch, adapterCtx),
    ctx.signal,
  );

  let failed = 0;
  for (const result of results) {
    if (result.ok) {
      report.refreshed += ctx.store.recordSnapshots(result.value).recorded;
    } else {
      failed++;
      report.errors.push(`${adapter.name}: ${describeError(result.error)}`);
    }
  }
  if (failed > 0) {
    logger.warn({ failed, requests: batches.length }, 'refresh lookups failed');
  }
  logger.debug({ ids: ids.length, requests: batches.length, failed }, 'refresh done');
}
