/**
 * The Prometheus metrics of Flywheel itself, on a registry of their own (never prom-client's
 * global one, so two runs in one process or in tests do not collide).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HttpStats } from '../http/types.ts';
import { createHttpDetailMetrics } from './http-metrics.ts';

/** The figures of a finished task that the metrics need (a `TaskRunRecord` fits). */
export interface TaskFiguresInput {
  task: string;
  /** Becomes the `outcome` label, e.g. `succeeded` or `failed`. */
  status: string;
  durationMs: number | null;
  peakRssBytes: number | null;
}

/** One health target's figures (a health check fits). */
export interface HealthFiguresInput {
  name: string;
  kind: string;
  /** `up`, `down` or `unknown` (unknown leaves `flywheel_health_up` unset). */
  state: string;
  latencyMs: number;
  /** `closed`, `open` or `half-open`. */
  breaker: string;
}

/** The states of `flywheel_circuit_breaker_state`, one series each (an OpenMetrics state set). */
export const BREAKER_STATES = ['closed', 'half-open', 'open'] as const;

/** One task's comparison with its history (a `ReportHistory` row fits). */
export interface HistoryInput {
  task: string;
  /** this / median - 1, or null without history. */
  durationChange: number | null;
  isDurationRegression: boolean;
  peakRssChange: number | null;
  isMemoryRegression: boolean;
}

/** Options of `createFlywheelMetrics`. */
export interface FlywheelMetricsOptions {
  /** Upper bounds of the duration histogram, seconds. Default: 0.01 s to 600 s. */
  durationBuckets?: number[];
}

/** Flywheel's metrics and the calls that feed them. */
export interface FlywheelMetrics {
  readonly registry: Registry;
  /** Observes a finished task's duration and sets its peak memory. */
  recordTask(task: TaskFiguresInput): void;
  /**
   * Brings the HTTP counters up to a stats snapshot and sets each origin's breaker state (scope
   * `http`, name the origin). Snapshots are cumulative: only the growth since the previous call
   * is added (a snapshot that went down, after a reset, counts in full).
   */
  recordHttp(stats: HttpStats): void;
  /**
   * Brings the cache counters of one tier (`memory`, `redis`) up to a cumulative snapshot;
   * `errors` (failed Redis operations) count under `result="error"`.
   */
  recordCache(tier: string, stats: { hits: number; misses: number; errors?: number }): void;
  /** Sets the health gauges and each target's breaker state (scope `health`, name `kind:name`). */
  recordHealth(checks: readonly HealthFiguresInput[]): void;
  /**
   * Sets each task's regression flags and changes against its history (the metrics task's
   * comparison), replacing the previous run's values for those tasks.
   */
  recordHistory(tasks: readonly HistoryInput[]): void;
}

const DEFAULT_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/**
 * Creates a registry holding `flywheel_operator_duration_seconds`,
 * `flywheel_operator_peak_memory_bytes`, `flywheel_http_requests_total`,
 * `flywheel_http_connections_total`, `flywheel_http_connection_reuse_ratio`,
 * `flywheel_cache_requests_total`, `flywheel_health_up`, `flywheel_health_check_latency_seconds`,
 * `flywheel_circuit_breaker_state` (every breaker: scope `health` for health targets, `http` for
 * origins), `flywheel_operator_regression`, `flywheel_operator_history_change_ratio`, and the
 * per-origin HTTP detail of `http-metrics.ts` (retries, errors, bytes, waits, rate-limit waits,
 * circuit opens and rejections).
 *
 * @example
 * const metrics = createFlywheelMetrics();
 * metrics.recordTask({ task: 'scrape', status: 'succeeded', durationMs: 1200, peakRssBytes: 9e7 });
 * const text = await metrics.registry.metrics();
 */
export function createFlywheelMetrics(options: FlywheelMetricsOptions = {}): FlywheelMetrics {
  const registry = new Registry();
  const registers = [registry];

  const duration = new Histogram({
    name: 'flywheel_operator_duration_seconds',
    help: 'Wall time of one task, all attempts included.',
    labelNames: ['operator', 'outcome'] as const,
    buckets: options.durationBuckets ?? DEFAULT_BUCKETS,
    registers,
  });
  const peakMemory = new Gauge({
    name: 'flywheel_operator_peak_memory_bytes',
    help: 'Peak resident set size sampled while the task ran.',
    labelNames: ['operator'] as const,
    registers,
  });
  const requests = new Counter({
    name: 'flywheel_http_requests_total',
    help: 'HTTP requests sent, retries included.',
    labelNames: ['origin'] as const,
    registers,
  });
  const connections = new Counter({
    name: 'flywheel_http_connections_total',
    help: 'New TCP/TLS connections opened.',
    labelNames: ['origin'] as const,
    registers,
  });
  const reuse = new Gauge({
    name: 'flywheel_http_connection_reuse_ratio',
    help: '1 - connections / requests over the client lifetime.',
    registers,
  });
  const cacheRequests = new Counter({
    name: 'flywheel_cache_requests_total',
    help: 'Cache lookups by tier and result.',
    labelNames: ['tier', 'result'] as const,
    registers,
  });
  const healthUp = new Gauge({
    name: 'flywheel_health_up',
    help: 'Whether a health target is up (1) or down (0) after the thresholds.',
    labelNames: ['target', 'kind'] as const,
    registers,
  });
  const healthLatency = new Gauge({
    name: 'flywheel_health_check_latency_seconds',
    help: "Latency of a health target's latest probe.",
    labelNames: ['target', 'kind'] as const,
    registers,
  });
  const breakerState = new Gauge({
    name: 'flywheel_circuit_breaker_state',
    help: 'Circuit breaker state: 1 for the current state of each breaker, 0 for the others. Scope health: a health target (name kind:name); scope http: an origin.',
    labelNames: ['scope', 'name', 'state'] as const,
    registers,
  });

  const regression = new Gauge({
    name: 'flywheel_operator_regression',
    help: '1 when the last run of a task regressed against its history beyond the threshold.',
    labelNames: ['operator', 'figure'] as const,
    registers,
  });
  const historyChange = new Gauge({
    name: 'flywheel_operator_history_change_ratio',
    help: 'Last run of a task against the median of its earlier runs, minus 1 (0.5 = 50% more).',
    labelNames: ['operator', 'figure'] as const,
    registers,
  });

  const seen = new Map<string, number>();
  // Adds the growth of a cumulative figure since it was last seen under `key`.
  const growth = (key: string, value: number): number => {
    const previous = seen.get(key) ?? 0;
    seen.set(key, value);
    return value >= previous ? value - previous : value;
  };
  const recordHttpDetail = createHttpDetailMetrics(registry, breakerState);

  return {
    registry,
    recordTask(task: TaskFiguresInput): void {
      if (task.durationMs !== null) {
        duration.observe({ operator: task.task, outcome: task.status }, task.durationMs / 1_000);
      }
      if (task.peakRssBytes !== null) peakMemory.set({ operator: task.task }, task.peakRssBytes);
    },
    recordHttp(stats: HttpStats): void {
      for (const origin of stats.byOrigin) {
        const labels = { origin: origin.origin };
        requests.inc(labels, growth(`requests ${origin.origin}`, origin.requests));
        connections.inc(labels, growth(`connections ${origin.origin}`, origin.connections));
      }
      if (stats.reuseRatio !== null) reuse.set(stats.reuseRatio);
      recordHttpDetail(stats, growth);
    },
    recordHistory(tasks: readonly HistoryInput[]): void {
      for (const task of tasks) {
        const figures = [
          ['duration', task.isDurationRegression, task.durationChange],
          ['memory', task.isMemoryRegression, task.peakRssChange],
        ] as const;
        for (const [figure, isRegression, change] of figures) {
          const labels = { operator: task.task, figure };
          regression.set(labels, isRegression ? 1 : 0);
          // Without history there is no change: drop a stale value rather than keep it.
          if (change === null) historyChange.remove(labels);
          else historyChange.set(labels, change);
        }
      }
    },
    recordCache(tier: string, stats: { hits: number; misses: number; errors?: number }): void {
      cacheRequests.inc({ tier, result: 'hit' }, growth(`hit ${tier}`, stats.hits));
      cacheRequests.inc({ tier, result: 'miss' }, growth(`miss ${tier}`, stats.misses));
      if (stats.errors !== undefined) {
        cacheRequests.inc({ tier, result: 'error' }, growth(`error ${tier}`, stats.errors));
      }
    },
    recordHealth(checks: readonly HealthFiguresInput[]): void {
      for (const check of checks) {
        const labels = { target: check.name, kind: check.kind };
        if (check.state === 'unknown') healthUp.remove(labels);
        else healthUp.set(labels, check.state === 'up' ? 1 : 0);
        healthLatency.set(labels, check.latencyMs / 1_000);
        for (const state of BREAKER_STATES) {
          const series = { scope: 'health', name: `${check.kind}:${check.name}`, state };
          breakerState.set(series, check.breaker === state ? 1 : 0);
        }
      }
    },
  };
}
