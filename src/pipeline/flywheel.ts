/**
 * Assembles one embedded flywheel: the store, the HTTP client (optionally replaying or recording
 * traffic), the cache, the platform adapters and the five operators, then runs the graph.
 * The CLI and the tests both come through here, so they exercise the same code path.
 */
import type { AppConfig } from '../config/schema.ts';
import { createCache } from '../cache/index.ts';
import { createHttpClient, redactUrlsReplacer } from '../http/index.ts';
import type { HttpClient } from '../http/types.ts';
import { silentLogger, type Logger } from '../observe/logger.ts';
import { createEngineOperator } from '../operators/engine/index.ts';
import { createHealthOperator } from '../operators/health/index.ts';
import { createMetricsOperator } from '../operators/metrics/index.ts';
import { createScraperOperator } from '../operators/scraper/index.ts';
import { createThompsonOperator } from '../operators/thompson/index.ts';
import { createAdapters } from '../platforms/index.ts';
import { createRecorder, loadCassettes, startReplayServer } from '../replay/index.ts';
import { openSqliteStore } from '../store/index.ts';
import { buildReport } from './report.ts';
import { createRunId, runTasks, type RunResult } from './runner.ts';
import type { Operator, ProgressEvent, TaskName } from './types.ts';
import type { RunReport } from '../observe/report.ts';

export interface FlywheelOptions {
  config: AppConfig;
  logger?: Logger;
  /** Serve the HTTP traffic from recordings in this folder instead of the network. */
  replayDir?: string | undefined;
  /** Write the run's HTTP traffic as a Betamax JSON cassette into this folder. */
  recordDir?: string | undefined;
  /** Environment for secrets (API keys, OAuth credentials). Default: process.env. */
  env?: NodeJS.ProcessEnv;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface RunOutcome {
  result: RunResult;
  report: RunReport;
  /** Requests the replay server answered and missed, when replaying. */
  replay?: { served: number; misses: number };
}

/**
 * Runs the whole flywheel (or only some tasks) once and returns its report.
 *
 * @example
 * const { report } = await runFlywheel({ config: await loadConfig({ file: 'flywheel.yaml' }) });
 * console.log(report.status, report.posts.total);
 */
export async function runFlywheel(
  options: FlywheelOptions & { only?: readonly TaskName[] },
): Promise<RunOutcome> {
  const { config } = options;
  const logger = options.logger ?? silentLogger;
  // Bad recordings and a bad store path fail here, before anything listens or runs.
  const cassettes = options.replayDir ? await loadCassettes(options.replayDir) : undefined;
  const store = openSqliteStore(config.store.path);
  let replay: Awaited<ReturnType<typeof startReplayServer>> | undefined;
  try {
    replay = cassettes ? await startReplayServer(cassettes, { logger }) : undefined;
  } catch (error) {
    store.close();
    throw error;
  }
  const recorder = options.recordDir ? createRecorder(options.recordDir) : undefined;

  const { breaker, ...httpOptions } = config.http;
  const { enabled: isBreakerOn, ...breakerOptions } = breaker;
  const http = createHttpClient({
    ...httpOptions,
    breaker: isBreakerOn ? breakerOptions : false,
    profile: config.profile,
    // The client names itself (component: http) in its own child logger.
    logger,
    ...(replay ? { originMap: replay.originMap, strictOrigins: true } : {}),
    ...(recorder ? { recorder } : {}),
  });

  const cache = createCache(config, logger);

  try {
    await cache.connect();
    const operators = createOperators(config, options.env ?? process.env);
    const now = options.now ?? (() => new Date());
    const runId = createRunId(now());
    // The stored config is read for its profile only; URLs in it lose their secrets.
    store.startRun(runId, now().toISOString(), JSON.stringify(config, redactUrlsReplacer));
    const result = await runTasks({
      runId,
      now,
      config,
      store,
      http,
      cache,
      logger,
      operators,
      ...(options.only ? { only: options.only } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const report = buildReport(result, {
      config,
      store,
      http: http.stats(),
      cache: cache.status(),
    });
    store.finishRun(result.runId, report.status, report.finishedAt, JSON.stringify(report));

    const replayStats = replay?.stats();
    return {
      result,
      report,
      ...(replayStats
        ? {
            replay: {
              served: replayStats.requests - replayStats.misses,
              misses: replayStats.misses,
            },
          }
        : {}),
    };
  } finally {
    await cache.close();
    await http.close();
    await recorder?.flush();
    await replay?.close();
    store.close();
  }
}

/** The five operators in their graph order. */
export function createOperators(config: AppConfig, env: NodeJS.ProcessEnv): Operator[] {
  const adapters = createAdapters(config.platforms, env);
  return [
    createHealthOperator({ adapters }),
    createScraperOperator({ adapters }),
    createEngineOperator({ adapters }),
    createThompsonOperator(),
    createMetricsOperator(),
  ];
}

export type { HttpClient };
