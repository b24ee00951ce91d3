/**
 * An interrupted run: the operators see the run's abort signal and return what they have, the
 * tasks after are skipped with the reason, and nothing is reported as a timeout.
 */
import { describe, expect, it } from 'vitest';
import { createNoCache } from '../cache/index.ts';
import { configSchema } from '../config/schema.ts';
import { CancelledError } from '../errors.ts';
import { emptyHttpStats } from '../http/stats.ts';
import type { HttpClient } from '../http/types.ts';
import { silentLogger } from '../observe/logger.ts';
import { openSqliteStore } from '../store/sqlite.ts';
import { buildReport } from './report.ts';
import { runTasks } from './runner.ts';
import type { Operator, TaskName } from './types.ts';

const NO_STATS = emptyHttpStats();

const http: HttpClient = {
  request: () => Promise.reject(new Error('no HTTP in this test')),
  stats: () => NO_STATS,
  close: () => Promise.resolve(),
};

const ORDER: TaskName[] = ['health', 'scrape', 'engine', 'thompson', 'metrics'];

/** An operator in the graph's usual chain, or alone (`isAlone`: no dependencies). */
function operator(name: TaskName, execute: Operator['execute'], isAlone = false): Operator {
  const index = ORDER.indexOf(name);
  const dependsOn = isAlone || index <= 1 ? [] : [ORDER[index - 1]!];
  return { name, dependsOn, execute };
}

/** Resolves once `signal` aborts, also when it already has. */
function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve()));
}

function setup(scrape: Operator['execute']) {
  const controller = new AbortController();
  const executed: TaskName[] = [];
  const simple = (name: TaskName) =>
    operator(name, () => {
      executed.push(name);
      return Promise.resolve({});
    });
  const operators = [
    simple('health'),
    operator('scrape', async (ctx) => {
      executed.push('scrape');
      // The user presses Ctrl-C while the scrape is under way.
      controller.abort(new CancelledError('Ctrl-C'));
      return scrape(ctx);
    }),
    simple('engine'),
    simple('thompson'),
    simple('metrics'),
  ];
  const config = configSchema.parse({ tasks: { maxAttempts: 3 } });
  const store = openSqliteStore(':memory:');
  const run = () =>
    runTasks({
      config,
      store,
      http,
      cache: createNoCache(),
      logger: silentLogger,
      operators,
      signal: controller.signal,
      taskBackoffMs: 1,
    });

  return { run, executed, store, config };
}

describe('an interrupted run', () => {
  it('lets the running task return what it has and skips the rest', async () => {
    const { run, executed } = setup(async (ctx) => {
      await aborted(ctx.signal);
      return { accounts: 3, finished: 1 };
    });
    const result = await run();

    expect(executed).toEqual(['health', 'scrape']);
    expect(result.tasks.map((task) => [task.task, task.status, task.error])).toEqual([
      ['health', 'succeeded', null],
      ['scrape', 'succeeded', null],
      ['engine', 'skipped', 'skipped: the run was interrupted (Ctrl-C)'],
      ['thompson', 'skipped', 'skipped: the run was interrupted (Ctrl-C)'],
      ['metrics', 'skipped', 'skipped: the run was interrupted (Ctrl-C)'],
    ]);
    expect(result.outputs.scrape).toEqual({ accounts: 3, finished: 1 });
  });

  it('says interrupted, not timed out, and does not retry, when the task gives up', async () => {
    const { run } = setup((ctx) => Promise.reject(new CancelledError(`cancelled ${ctx.task}`)));
    const result = await run();
    const scrape = result.tasks.find((task) => task.task === 'scrape')!;

    expect([scrape.status, scrape.attempts, scrape.error]).toEqual([
      'failed',
      1,
      'interrupted: Ctrl-C',
    ]);
  });
});

describe('run notes', () => {
  it('says what to run first when a task alone finds an empty store', async () => {
    const store = openSqliteStore(':memory:');
    const config = configSchema.parse({});
    const only = (name: TaskName) =>
      runTasks({
        config,
        store,
        http,
        cache: createNoCache(),
        logger: silentLogger,
        // The smallest output each task's report section reads.
        operators: [
          operator(name, () => Promise.resolve(name === 'metrics' ? { services: [] } : null), true),
        ],
      });
    const report = async (name: TaskName) =>
      buildReport(await only(name), { config, store, http: NO_STATS });

    const engine = await report('engine');
    expect([engine.status, engine.notes]).toEqual([
      'succeeded',
      ['nothing stored yet: run `flywheel task scrape` first'],
    ]);
    expect((await report('thompson')).notes).toEqual([
      'nothing stored yet: run `flywheel task scrape` first',
    ]);
    expect((await report('metrics')).notes).toEqual([
      'no service has a metricsUrl: nothing to collect (see docs/configuration.md)',
    ]);
    expect((await report('health')).notes).toBeUndefined();
  });
});
