/**
 * MetricsCollectorOperator: scrapes the services' Prometheus endpoints concurrently, aggregates
 * each family's sample values, and sets this run's operator figures beside earlier runs'.
 * A failing service is a result (`ok: false`), never a failed task.
 */
import { describeError } from '../../errors.ts';
import type { HttpClient, HttpStats } from '../../http/types.ts';
import type { Operator, TaskContext } from '../../pipeline/types.ts';
import { summarize, type Summary } from '../../stats/index.ts';
import type { TaskRunRecord } from '../../store/types.ts';
import { parsePrometheusText, type MetricType, type ParseResult } from './prometheus.ts';

/** Options of `createMetricsOperator`. */
export interface MetricsOperatorOptions {
  /** How long a parsed scrape stays in the cache, milliseconds. Default: 15000. */
  cacheTtlMs?: number;
  /** Time allowed for one scrape, milliseconds. Default: 10000. */
  timeoutMs?: number;
  /** Families listed per service, most samples first. Default: 10. */
  topFamilies?: number;
  /** Earlier runs kept in the history. Default: 5. */
  historyRuns?: number;
}

/** The aggregate of one family's sample values. */
export interface FamilyAggregate {
  name: string;
  type: MetricType;
  samples: number;
  summary: Summary;
}

/** What was collected from one service. */
export interface ServiceMetrics {
  name: string;
  url: string;
  /** Whether the endpoint answered 2xx with something readable as an exposition. */
  ok: boolean;
  families: number;
  samples: number;
  /** The fetch failure, or the exposition's malformed lines (at most 20, then a count). */
  errors: string[];
  /** Wall time of this collection, milliseconds (near 0 when the cache answered). */
  durationMs: number;
  /** Whether the scrape came from the cache or another caller's request in flight. */
  isCached: boolean;
  topFamilies: FamilyAggregate[];
}

/** One task's figures in one run. */
export interface TaskFigures {
  task: string;
  status: string;
  attempts: number;
  durationMs: number | null;
  peakRssBytes: number | null;
  requests: number;
  connections: number;
  bytesIn: number;
  /** 1 - connections / requests, or null without requests. */
  reuseRatio: number | null;
}

/** The task figures of one run. */
export interface RunFigures {
  runId: string;
  tasks: TaskFigures[];
}

/** One task of this run against the mean of the same task in earlier runs. */
export interface TaskComparison {
  task: string;
  durationMs: number | null;
  /** Mean over the earlier runs that have a duration for this task; null without history. */
  historyDurationMs: number | null;
  /** (this - history) / history; negative is faster. Null when either side is missing. */
  durationChange: number | null;
  peakRssBytes: number | null;
  historyPeakRssBytes: number | null;
}

/** The metrics task's output. */
export interface MetricsOutput {
  services: ServiceMetrics[];
  run: {
    runId: string;
    tasks: TaskFigures[];
    http: HttpStats;
    cache: { hits: number; misses: number };
  };
  /** Earlier runs, newest first. */
  history: RunFigures[];
  comparison: TaskComparison[];
}

interface Scrape {
  result: ParseResult;
  bytes: number;
}

const MAX_LISTED_ERRORS = 20;

/**
 * Creates the metrics operator (task `metrics`, after `thompson`).
 *
 * Scrapes every configured service with a `metricsUrl` at once; the same URL asked for twice
 * (two services, or two runs at the same time) makes one request.
 *
 * @example
 * const metrics = createMetricsOperator({ cacheTtlMs: 30_000 });
 * const output = await metrics.execute(ctx);
 * for (const service of output.services) console.log(service.name, service.ok, service.samples);
 */
export function createMetricsOperator(
  options: MetricsOperatorOptions = {},
): Operator<MetricsOutput> {
  const cacheTtlMs = options.cacheTtlMs ?? 15_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const topFamilies = options.topFamilies ?? 10;
  const historyRuns = options.historyRuns ?? 5;
  // The cache de-duplicates too; this map keeps the promise shared when a cache (a remote tier)
  // does not, so one target is never fetched twice at once.
  const inFlight = new Map<string, Promise<Scrape>>();

  function collect(
    ctx: TaskContext,
    url: string,
  ): { scrape: Promise<Scrape>; didFetch: () => boolean } {
    let fetched = false;
    const pending = inFlight.get(url);
    if (pending !== undefined) return { scrape: pending, didFetch: () => false };

    const scrape = ctx.cache.getOrSet(`metrics:scrape:${url}`, cacheTtlMs, () => {
      fetched = true;
      return fetchScrape(ctx.http, url, timeoutMs, ctx.signal);
    });
    inFlight.set(url, scrape);
    const forget = (): void => {
      if (inFlight.get(url) === scrape) inFlight.delete(url);
    };
    scrape.then(forget, forget);

    return { scrape, didFetch: () => fetched };
  }

  async function collectService(
    ctx: TaskContext,
    name: string,
    url: string,
  ): Promise<ServiceMetrics> {
    const started = performance.now();
    const { scrape, didFetch } = collect(ctx, url);
    const base = { name, url };

    try {
      const { result } = await scrape;
      const samples = result.families.reduce((sum, family) => sum + family.samples.length, 0);
      const errors = listErrors(result);
      return {
        ...base,
        ok: !(result.families.length === 0 && result.errors.length > 0),
        families: result.families.length,
        samples,
        errors,
        durationMs: elapsed(started),
        isCached: !didFetch(),
        topFamilies: aggregateFamilies(result, topFamilies),
      };
    } catch (error) {
      ctx.logger.warn({ service: name, error: describeError(error) }, 'metrics scrape failed');
      return {
        ...base,
        ok: false,
        families: 0,
        samples: 0,
        errors: [describeError(error)],
        durationMs: elapsed(started),
        isCached: false,
        topFamilies: [],
      };
    }
  }

  return {
    name: 'metrics',
    dependsOn: ['thompson'],
    async execute(ctx: TaskContext): Promise<MetricsOutput> {
      const targets = ctx.config.services.flatMap((service) =>
        service.metricsUrl === undefined ? [] : [{ name: service.name, url: service.metricsUrl }],
      );
      let done = 0;
      const services = await Promise.all(
        targets.map(async (target) => {
          const service = await collectService(ctx, target.name, target.url);
          done += 1;
          ctx.progress({
            item: target.name,
            message: service.ok ? 'scraped' : 'failed',
            done,
            total: targets.length,
          });
          return service;
        }),
      );

      const tasks = ctx.store.listTaskRuns(ctx.runId).map(toFigures);
      const history = readHistory(ctx, historyRuns);

      return {
        services,
        run: { runId: ctx.runId, tasks, http: ctx.http.stats(), cache: ctx.cache.stats() },
        history,
        comparison: compare(tasks, history),
      };
    },
  };
}

/**
 * Fetches and parses one Prometheus text endpoint.
 * Raises what `HttpClient.request` raises (non-2xx, network, timeout, cancellation).
 */
export async function fetchScrape(
  http: HttpClient,
  url: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Scrape> {
  const response = await http.request(url, {
    timeoutMs,
    signal,
    headers: {
      accept: 'text/plain;version=0.0.4;q=1, application/openmetrics-text;q=0.5, */*;q=0.1',
    },
  });

  return { result: parsePrometheusText(response.text()), bytes: response.body.length };
}

/** Aggregates each family's sample values; the `limit` families with most samples, by name on ties. */
export function aggregateFamilies(result: ParseResult, limit: number): FamilyAggregate[] {
  const ranked = [...result.families].sort(
    (a, b) =>
      b.samples.length - a.samples.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );

  return ranked.slice(0, limit).map((family) => {
    const values = new Float64Array(family.samples.length);
    family.samples.forEach((sample, index) => {
      values[index] = sample.value;
    });
    return {
      name: family.name,
      type: family.type,
      samples: family.samples.length,
      summary: summarize(values),
    };
  });
}

function listErrors(result: ParseResult): string[] {
  const listed = result.errors.slice(0, MAX_LISTED_ERRORS).map((issue) => issue.message);
  const more = result.errors.length - listed.length;
  if (more > 0) listed.push(`and ${more} more malformed lines`);
  return listed;
}

function toFigures(record: TaskRunRecord): TaskFigures {
  return {
    task: record.task,
    status: record.status,
    attempts: record.attempts,
    durationMs: record.durationMs,
    peakRssBytes: record.peakRssBytes,
    requests: record.requests,
    connections: record.connections,
    bytesIn: record.bytesIn,
    reuseRatio: record.requests > 0 ? 1 - record.connections / record.requests : null,
  };
}

/**
 * Earlier runs' figures. The Store has no call listing past runs, so each metrics output carries
 * the history it saw; the latest stored one, plus its own run, is the history of this one.
 */
function readHistory(ctx: TaskContext, limit: number): RunFigures[] {
  const latest = ctx.store.latestTaskOutput('metrics');
  if (latest === null) return [];

  try {
    const previous = JSON.parse(latest.output) as Partial<MetricsOutput>;
    const earlier = Array.isArray(previous.history) ? previous.history : [];
    // A retry within this run finds its own run's output: only that output's history is earlier.
    const own = latest.runId === ctx.runId || previous.run === undefined ? [] : [previous.run];
    const runs = [...own, ...earlier].map((run) => ({ runId: run.runId, tasks: run.tasks }));
    return runs.slice(0, limit);
  } catch (error) {
    // A corrupt earlier output costs the comparison, not the task.
    ctx.logger.warn(
      { runId: latest.runId, error: describeError(error) },
      'metrics history unreadable',
    );
    return [];
  }
}

function compare(tasks: TaskFigures[], history: RunFigures[]): TaskComparison[] {
  return tasks.map((current) => {
    const earlier = history.flatMap((run) =>
      run.tasks.filter((task) => task.task === current.task),
    );
    const historyDurationMs = meanOf(earlier.map((task) => task.durationMs));
    const historyPeakRssBytes = meanOf(earlier.map((task) => task.peakRssBytes));
    const durationChange =
      current.durationMs === null || historyDurationMs === null || historyDurationMs === 0
        ? null
        : (current.durationMs - historyDurationMs) / historyDurationMs;

    return {
      task: current.task,
      durationMs: current.durationMs,
      historyDurationMs,
      durationChange,
      peakRssBytes: current.peakRssBytes,
      historyPeakRssBytes,
    };
  });
}

function meanOf(values: Array<number | null | undefined>): number | null {
  const present = values.filter((value): value is number => typeof value === 'number');
  if (present.length === 0) return null;
  return present.reduce((sum, value) => sum + value, 0) / present.length;
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
