/**
 * Feeds the Prometheus counters from finished runs' reports, so runs made by other processes
 * (`flywheel run` from cron, a scheduler's `flywheel task`) show on the server's /metrics. Each
 * run is counted once; counters are cumulative from the server's start.
 */
import type { FlywheelMetrics } from '../observe/metrics.ts';
import type { RunReport } from '../observe/report-types.ts';
import { emptyOriginStats } from '../http/stats.ts';
import type { HttpStats, OriginStats } from '../http/types.ts';

/** Counts reports into `metrics`. */
export interface RunIngest {
  /** Counts `report` unless its run was counted before; returns whether it was new. */
  ingest(report: RunReport): boolean;
  /** Runs counted so far. */
  readonly runs: number;
}

/** Creates an ingest that keeps running totals per origin and per cache tier. */
export function createRunIngest(metrics: FlywheelMetrics): RunIngest {
  const seen = new Set<string>();
  const origins = new Map<string, OriginStats>();
  const tiers = new Map<string, { hits: number; misses: number; errors: number }>();

  return {
    get runs() {
      return seen.size;
    },
    ingest(report: RunReport): boolean {
      if (seen.has(report.runId)) return false;
      seen.add(report.runId);

      for (const task of report.tasks) {
        metrics.recordTask({
          task: task.name,
          status: task.status,
          durationMs: task.durationMs,
          peakRssBytes: task.peakRssBytes,
        });
      }
      // Reports arrive oldest first, so the gauges end on the latest run's comparison.
      if (report.history !== undefined) metrics.recordHistory(report.history);
      for (const origin of report.http.byOrigin ?? []) addOrigin(origins, origin);
      metrics.recordHttp(totals(origins, report.http.reuseRatio));
      for (const tier of report.cache?.tiers ?? []) {
        const sum = tiers.get(tier.tier) ?? { hits: 0, misses: 0, errors: 0 };
        sum.hits += tier.hits;
        sum.misses += tier.misses;
        sum.errors += tier.errors;
        tiers.set(tier.tier, sum);
        metrics.recordCache(tier.tier, sum);
      }

      return true;
    },
  };
}

function addOrigin(
  origins: Map<string, OriginStats>,
  origin: NonNullable<RunReport['http']['byOrigin']>[number],
): void {
  const sum = origins.get(origin.origin) ?? emptyOriginStats(origin.origin);
  // Reports stored before a field existed lack it; they add nothing to that total.
  sum.requests += origin.requests;
  sum.connections += origin.connections;
  sum.bytesIn += origin.bytesIn ?? 0;
  sum.bytesOut += origin.bytesOut ?? 0;
  sum.waitMs += origin.waitMs;
  sum.retries += origin.retries ?? 0;
  sum.errors += origin.errors ?? 0;
  sum.rateLimitWaits += origin.rateLimitWaits ?? 0;
  sum.rateLimitWaitMs += origin.rateLimitWaitMs ?? 0;
  sum.circuitOpens += origin.circuitOpens ?? 0;
  sum.circuitRejections += origin.circuitRejections ?? 0;
  // The circuit is a state, not a total: the latest run's is the current one.
  if (isCircuitState(origin.circuitState)) sum.circuitState = origin.circuitState;
  origins.set(origin.origin, sum);
}

function isCircuitState(value: unknown): value is OriginStats['circuitState'] {
  return value === 'closed' || value === 'open' || value === 'half-open';
}

/** Cumulative figures in the shape `recordHttp` takes; the reuse ratio is the latest run's. */
function totals(origins: Map<string, OriginStats>, reuseRatio: number | null): HttpStats {
  const byOrigin = [...origins.values()];
  const sum = (pick: (origin: OriginStats) => number): number =>
    byOrigin.reduce((total, origin) => total + pick(origin), 0);

  return {
    requests: sum((origin) => origin.requests),
    connections: sum((origin) => origin.connections),
    bytesIn: sum((origin) => origin.bytesIn),
    bytesOut: sum((origin) => origin.bytesOut),
    retries: sum((origin) => origin.retries),
    waitMs: sum((origin) => origin.waitMs),
    errors: sum((origin) => origin.errors),
    reuseRatio,
    byOrigin,
  };
}
