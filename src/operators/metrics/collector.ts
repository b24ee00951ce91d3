/**
 * MetricsCollectorOperator: collects every service's Prometheus and JSON endpoints at once,
 * aggregates them, and compares this run's task figures with the stored history of earlier runs.
 * A failing service is a result (`ok: false`), never a failed task.
 */
import type { MetricsConfig } from '../../config/schema.ts';
import { reuseRatio } from '../../http/index.ts';
import type { HttpStats } from '../../http/types.ts';
import type { Operator, TaskContext } from '../../pipeline/types.ts';
import type { TaskRunRecord } from '../../store/types.ts';
import { collectTarget, type ServiceMetrics, type Target } from './collect.ts';
import { SingleFlight } from './fetch.ts';
import { compareWithHistory, type HistoryComparison } from './history.ts';

/** Options of `createMetricsOperator`: overrides of the config's `metrics` section. */
export type MetricsOperatorOptions = Partial<Omit<MetricsConfig, 'history'>> & {
  history?: Partial<MetricsConfig['history']>;
};

/** One task's figures in this run. */
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

/** The metrics task's output. */
export interface MetricsOutput {
  /** One entry per endpoint: a service with both `metricsUrl` and `jsonUrl` has two. */
  services: ServiceMetrics[];
  run: {
    runId: string;
    /** The tasks of this run that finished before this one. */
    tasks: TaskFigures[];
    http: HttpStats;
    cache: { hits: number; misses: number };
  };
  /** This run's succeeded tasks against their earlier successful runs. */
  history: HistoryComparison;
}

/**
 * Creates the metrics operator (task `metrics`, after `thompson`). Settings come from the
 * config's `metrics` section; `options` override them (tests, embedding).
 *
 * @example
 * const metrics = createMetricsOperator({ cacheTtlMs: 30_000 });
 * const output = await metrics.execute(ctx);
 * for (const service of output.services) console.log(service.name, service.ok, service.samples);
 * for (const regression of output.history.regressions) console.warn(regression.message);
 */
export function createMetricsOperator(
  options: MetricsOperatorOptions = {},
): Operator<MetricsOutput> {
  // Shared by every run of this operator, so overlapping runs share requests too.
  const flight = new SingleFlight();

  return {
    name: 'metrics',
    dependsOn: ['thompson'],
    async execute(ctx: TaskContext): Promise<MetricsOutput> {
      const settings = {
        ...ctx.config.metrics,
        ...options,
        history: { ...ctx.config.metrics.history, ...options.history },
      };
      const targets = listTargets(ctx);
      const collectContext = {
        flight,
        logger: ctx.logger,
        http: ctx.http,
        cache: ctx.cache,
        timeoutMs: settings.timeoutMs,
        cacheTtlMs: settings.cacheTtlMs,
        topFamilies: settings.topFamilies,
        signal: ctx.signal,
      };

      let done = 0;
      const collectOne = async (target: Target): Promise<ServiceMetrics> => {
        const service = await collectTarget(target, collectContext);
        done += 1;
        ctx.progress({
          item: `${target.name} (${target.kind})`,
          message: service.ok ? 'collected' : 'failed',
          done,
          total: targets.length,
        });
        return service;
      };
      // The naive profile asks one target at a time, as the original operator did, so
      // `flywheel bench` can weigh what collecting them all at once buys.
      const services =
        ctx.config.profile === 'naive'
          ? await inTurn(targets, collectOne)
          : await Promise.all(targets.map(collectOne));

      const tasks = ctx.store.listTaskRuns(ctx.runId).map(toFigures);
      const earlier = ctx.store.listTaskHistory({
        excludeRunId: ctx.runId,
        perTask: settings.history.runs,
        profile: ctx.config.profile,
      });
      const succeeded = tasks.filter((task) => task.status === 'succeeded');
      const history = compareWithHistory(succeeded, earlier, settings.history);
      for (const regression of history.regressions) {
        // One fixed message, the details in fields: the CLI recognises it as already reported.
        ctx.logger.warn(
          { operator: regression.task, figure: regression.figure, detail: regression.message },
          'performance regression',
        );
      }

      return {
        services,
        run: { runId: ctx.runId, tasks, http: ctx.http.stats(), cache: ctx.cache.stats() },
        history,
      };
    },
  };
}

async function inTurn<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await fn(item));

  return results;
}

/** Every endpoint of every service: its Prometheus endpoint and its JSON endpoint. */
function listTargets(ctx: TaskContext): Target[] {
  return ctx.config.services.flatMap((service): Target[] => {
    const targets: Target[] = [];
    if (service.metricsUrl !== undefined) {
      targets.push({ name: service.name, kind: 'prometheus', url: service.metricsUrl });
    }
    if (service.jsonUrl !== undefined) {
      targets.push({
        name: service.name,
        kind: 'json',
        url: service.jsonUrl,
        paths: service.jsonMetrics ?? {},
      });
    }
    return targets;
  });
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
    // Stored task runs keep no count of answered requests, so an unanswered task shows a ratio.
    reuseRatio: reuseRatio(record),
  };
}
