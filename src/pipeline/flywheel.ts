/**
 * Assembles one embedded flywheel: the store, the HTTP client (optionally replaying or recording
 * traffic), the cache, the platform adapters and the five operators, then runs the graph.
 * The CLI and the tests both come through here, so they exercise the same code path.
 */
import type { AppConfig } from '../config/schema.ts';
import { createCache } from '../cache/index.ts';
import type { TieredCache } from '../cache/index.ts';
import { ConfigError } from '../errors.ts';
import { createHttpClient, redactUrlsReplacer, statsSince } from '../http/index.ts';
import type { HttpClient, HttpClientOptions } from '../http/types.ts';
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
  /**
   * An HTTP client to use instead of one made from `config.http` (see `createRunHttpClient`), so
   * a long-lived process keeps its pools warm from one run to the next. The caller closes it.
   * Not with `replayDir` or `recordDir`, which need a client of their own.
   */
  http?: HttpClient;
  /**
   * A cache to use instead of one made from the config, so entries outlive the run; the caller
   * connects and closes it. Default: a new cache per run.
   */
  cache?: TieredCache;
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
  if (options.http !== undefined && (options.replayDir || options.recordDir)) {
    throw new ConfigError('a run given its own HTTP client cannot also replay or record traffic');
  }
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

  const http =
    options.http ??
    createRunHttpClient(config, logger, {
      ...(replay ? { originMap: replay.originMap, strictOrigins: true } : {}),
      ...(recorder ? { recorder } : {}),
    });
  const cache = options.cache ?? createCache(config, logger);
  // A client kept across runs has counted earlier runs too; the report is about this one.
  const httpBefore = options.http?.stats();

  try {
    if (options.cache === undefined) await cache.connect();
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
      http: httpBefore === undefined ? http.stats() : statsSince(httpBefore, http.stats()),
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
    if (options.cache === undefined) await cache.close();
    if (options.http === undefined) await http.close();
    await recorder?.flush();
    await replay?.close();
    store.close();
  }
}

/**
 * The HTTP client a run makes from `config.http` and the profile; `extra` adds replay or
 * recording. Exported so a process that runs the flywheel repeatedly can keep one.
 */
export function createRunHttpClient(
  config: AppConfig,
  logger: Logger = silentLogger,
  extra: Pick<HttpClientOptions, 'originMap' | 'strictOrigins' | 'recorder'> = {},
): HttpClient {
  const { breaker, ...httpOptions } = config.http;
  const { enabled: isBreakerOn, ...breakerOptions } = breaker;

  return createHttpClient({
    ...httpOptions,
    breaker: isBreakerOn ? breakerOptions : false,
    profile: config.profile,
    logger: logger.child({ component: 'http' }),
    ...extra,
  });
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
