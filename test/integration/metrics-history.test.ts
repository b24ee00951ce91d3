/**
 * History end to end: the runner stores each task's figures in SQLite, the metrics task compares
 * the latest run with the earlier ones, the report lists the regression as a problem and the
 * Prometheus gauge raises its flag. A fake clock sets the task durations, so nothing sleeps.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../src/cache/index.ts';
import { configSchema, type AppConfig } from '../../src/config/schema.ts';
import { createHttpClient } from '../../src/http/index.ts';
import type { HttpClient } from '../../src/http/types.ts';
import { silentLogger } from '../../src/observe/logger.ts';
import { createFlywheelMetrics } from '../../src/observe/metrics.ts';
import { createMetricsOperator } from '../../src/operators/metrics/index.ts';
import { buildReport } from '../../src/pipeline/report.ts';
import { runTasks } from '../../src/pipeline/runner.ts';
import type { Operator, TaskName } from '../../src/pipeline/types.ts';
import { openSqliteStore, type SqliteStore } from '../../src/store/index.ts';

let clock = Date.parse('2024-03-01T00:00:00.000Z');
let store: SqliteStore;
let http: HttpClient;

/** An operator that only moves the fake clock forward by its duration. */
function timed(name: TaskName, dependsOn: TaskName[], durationMs: () => number): Operator {
  return {
    name,
    dependsOn,
    execute: () => {
      clock += durationMs();
      return Promise.resolve(null);
    },
  };
}

async function run(runId: string, config: AppConfig, scrapeMs: number) {
  store.startRun(runId, new Date(clock).toISOString(), JSON.stringify(config));
  const result = await runTasks({
    runId,
    config,
    store,
    http,
    cache: createMemoryCache(),
    logger: silentLogger,
    now: () => new Date(clock),
    operators: [
      timed('health', [], () => 50),
      timed('scrape', ['health'], () => scrapeMs),
      timed('engine', ['scrape'], () => 200),
      timed('thompson', ['engine'], () => 20),
      createMetricsOperator(),
    ],
  });
  clock += 60_000;
  return buildReport(result, { config, store, http: http.stats() });
}

beforeEach(() => {
  store = openSqliteStore(':memory:');
  http = createHttpClient({ maxAttempts: 1 });
});

afterEach(async () => {
  store.close();
  await http.close();
});

describe('history across stored runs', () => {
  it('flags a task that got slower in the report and in the Prometheus gauge', async () => {
    // Peak memory is the real process RSS: keep it out of the verdict.
    const config = configSchema.parse({ metrics: { history: { memoryThreshold: 100 } } });
    for (const [i, ms] of [1_000, 1_100, 900, 1_000].entries()) {
      const report = await run(`run-${i}`, config, ms);
      expect(report.problems).toEqual([]);
    }

    const report = await run('run-slow', config, 2_500);

    const scrape = report.history?.find((row) => row.task === 'scrape');
    expect(scrape).toMatchObject({
      runs: 4,
      durationMs: 2_500,
      medianDurationMs: 1_000,
      durationChange: 1.5,
      isDurationRegression: true,
    });
    expect(report.problems).toEqual([
      'regression: scrape took 2.5 s, +150% over the median 1.0 s of 4 earlier runs ' +
        '(threshold +50%, above their p99 1.1 s)',
    ]);

    const metrics = createFlywheelMetrics();
    metrics.recordHistory(report.history ?? []);
    const text = await metrics.registry.metrics();
    expect(text).toContain('flywheel_operator_regression{operator="scrape",figure="duration"} 1');
    expect(text).toContain('flywheel_operator_regression{operator="engine",figure="duration"} 0');
    expect(text).toContain(
      'flywheel_operator_history_change_ratio{operator="scrape",figure="duration"} 1.5',
    );
  });

  it('leaves runs of the other profile out of the history', async () => {
    const naive = configSchema.parse({ profile: 'naive' });
    const optimized = configSchema.parse({});
    for (const i of [0, 1, 2]) await run(`naive-${i}`, naive, 5_000);

    const report = await run('optimized-0', optimized, 1_000);

    expect(report.history?.find((row) => row.task === 'scrape')).toMatchObject({
      runs: 0,
      medianDurationMs: null,
    });
  });
});
