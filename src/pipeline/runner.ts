/**
 * The in-process runner: runs operators in dependency order with retries and a timeout per
 * attempt, records each task's figures (attempts, duration, peak RSS, requests, connections,
 * bytes) and passes outputs downstream. A failed task skips the tasks that depend on it; the
 * others still run.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import {
  ExponentialBackoff,
  handleWhen,
  retry,
  timeout,
  TimeoutStrategy,
  wrap,
  isTaskCancelledError,
} from 'cockatiel';
import { CancelledError, describeError, isCancelledError, TimeoutError } from '../errors.ts';
import { reuseRatio } from '../http/index.ts';
import type { HttpClient, HttpStats } from '../http/types.ts';
import type { Logger } from '../observe/logger.ts';
import type { PlatformName } from '../platforms/types.ts';
import type { Store, TaskRunRecord, TaskStatus } from '../store/types.ts';
import type { AppConfig } from '../config/schema.ts';
import { orderTasks } from './graph.ts';
import type { Cache, Operator, ProgressEvent, TaskContext, TaskName } from './types.ts';
import { trackPeakRss } from '../observe/memory.ts';

export interface RunnerOptions {
  config: AppConfig;
  store: Store;
  http: HttpClient;
  cache: Cache;
  logger: Logger;
  operators: readonly Operator[];
  /** Run only these tasks; their inputs come from the store's latest outputs. Default: all. */
  only?: readonly TaskName[];
  runId?: string;
  signal?: AbortSignal;
  now?: () => Date;
  onProgress?: (event: ProgressEvent) => void;
  /** Called when a task ends, e.g. to feed Prometheus metrics. */
  onTaskEnd?: (record: TaskRunRecord) => void;
  /** First backoff step between task attempts, milliseconds. Default 500. */
  taskBackoffMs?: number;
}

export interface TaskResult extends TaskRunRecord {
  reuseRatio: number | null;
}

export interface RunResult {
  runId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  tasks: TaskResult[];
  outputs: Partial<Record<TaskName, unknown>>;
}

/** Runs the task graph once. Never throws for a task failure: the result says what failed. */
export async function runTasks(options: RunnerOptions): Promise<RunResult> {
  const now = options.now ?? (() => new Date());
  const runId = options.runId ?? createRunId(now());
  const started = now();
  const ordered = orderTasks(options.operators).filter(
    (op) => options.only === undefined || options.only.includes(op.name),
  );
  const outputs: Partial<Record<TaskName, unknown>> = {};
  const statuses = new Map<TaskName, TaskStatus>();
  const tasks: TaskResult[] = [];
  let downPlatforms = new Set<PlatformName>();
  let downReasons = new Map<PlatformName, string>();

  for (const op of ordered) {
    const inputs = collectInputs(op, outputs, options);
    const blocked = op.dependsOn.find((dep) => {
      const status = statuses.get(dep);
      return status !== undefined && status !== 'succeeded';
    });

    const skipReason = options.signal?.aborted
      ? `skipped: the run was interrupted (${describeError(options.signal.reason)})`
      : blocked && `skipped: ${blocked} did not succeed`;
    const { record, reuse } = skipReason
      ? { record: skippedRecord(runId, op.name, skipReason, now()), reuse: null }
      : await runOne(op, { ...options, runId, now, inputs, downPlatforms, downReasons });
    const result = { ...record, reuseRatio: reuse };

    statuses.set(op.name, record.status);
    tasks.push(result);
    options.store.saveTaskRun(record);
    options.onTaskEnd?.(record);
    if (record.status === 'succeeded' && record.output !== null) {
      outputs[op.name] = JSON.parse(record.output) as unknown;
      if (op.name === 'health') {
        downPlatforms = readDownPlatforms(outputs.health);
        downReasons = readDownReasons(outputs.health);
      }
    }
  }

  const finished = now();
  return {
    runId,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    tasks,
    outputs,
  };
}

interface RunOneOptions extends RunnerOptions {
  runId: string;
  now: () => Date;
  inputs: Partial<Record<TaskName, unknown>>;
  downPlatforms: ReadonlySet<PlatformName>;
  downReasons: ReadonlyMap<PlatformName, string>;
}

async function runOne(
  op: Operator,
  options: RunOneOptions,
): Promise<{ record: TaskRunRecord; reuse: number | null }> {
  const { config, logger: parentLogger } = options;
  const logger = parentLogger.child({ task: op.name, runId: options.runId });
  const startedAt = options.now();
  const before = options.http.stats();
  const memory = trackPeakRss();
  let attempts = 0;

  // Cancellation and timeouts end the attempt; other errors are retried with backoff.
  const retryPolicy = retry(
    handleWhen((error) => !isCancelledError(error) && !options.signal?.aborted),
    {
      maxAttempts: Math.max(0, config.tasks.maxAttempts - 1),
      backoff: new ExponentialBackoff({
        initialDelay: options.taskBackoffMs ?? 500,
        maxDelay: 10_000,
      }),
    },
  );
  const policy = wrap(retryPolicy, timeout(config.tasks.timeoutMs, TimeoutStrategy.Aggressive));

  let output: unknown = null;
  let error: string | null = null;
  try {
    output = await policy.execute(async ({ signal: attemptSignal }) => {
      // The run's signal reaches the operator but not the timeout policy, which would reject at
      // once: an interrupted operator winds down and returns what it has (the scrape's finished
      // accounts), so the report of an interrupted run still says what was done.
      const signal = options.signal
        ? AbortSignal.any([attemptSignal, options.signal])
        : attemptSignal;
      // Requests share one listener per HTTP client on the task's signal (src/http/signals.ts);
      // probes and other clients add their own, removed as each ends. The raised limit keeps a
      // busy task clear of Node's leak warning (10) without hiding a real leak.
      setMaxListeners(10_000, signal);
      attempts += 1;
      logger.info({ attempt: attempts }, 'task started');
      const ctx: TaskContext = {
        runId: options.runId,
        task: op.name,
        attempt: attempts,
        config,
        logger,
        store: options.store,
        http: options.http,
        cache: options.cache,
        signal,
        now: options.now,
        inputs: options.inputs,
        downPlatforms: options.downPlatforms,
        downReasons: options.downReasons,
        progress: (event) => options.onProgress?.({ ...event, task: op.name }),
      };
      try {
        return await op.execute(ctx);
      } catch (cause) {
        logger.warn({ attempt: attempts, error: describeError(cause) }, 'task attempt failed');
        throw cause;
      }
    });
  } catch (cause) {
    const failure = options.signal?.aborted
      ? new CancelledError(`interrupted: ${describeError(options.signal.reason)}`, { cause })
      : isTaskCancelledError(cause)
        ? new TimeoutError(`task ${op.name} ran past its ${config.tasks.timeoutMs} ms timeout`)
        : cause;
    error = describeError(failure);
    logger.error({ attempts, error }, 'task failed');
  }

  const finishedAt = options.now();
  const peakRssBytes = memory.stop();
  const delta = diffStats(before, options.http.stats());

  const record: TaskRunRecord = {
    runId: options.runId,
    task: op.name,
    status: error === null ? 'succeeded' : 'failed',
    attempts,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    peakRssBytes,
    requests: delta.requests,
    connections: delta.connections,
    bytesIn: delta.bytesIn,
    error,
    output: error === null ? JSON.stringify(output ?? null) : null,
  };
  return { record, reuse: reuseRatio(delta) };
}

function collectInputs(
  op: Operator,
  outputs: Partial<Record<TaskName, unknown>>,
  options: RunnerOptions,
): Partial<Record<TaskName, unknown>> {
  const inputs: Partial<Record<TaskName, unknown>> = {};
  for (const dep of ['health', ...op.dependsOn] as TaskName[]) {
    if (dep in outputs) {
      inputs[dep] = outputs[dep];
      continue;
    }
    // Run alone: read the upstream task's latest successful output from the store.
    const saved = options.store.latestTaskOutput(dep);
    if (saved !== null) inputs[dep] = JSON.parse(saved.output) as unknown;
  }

  return inputs;
}

function skippedRecord(runId: string, task: TaskName, reason: string, at: Date): TaskRunRecord {
  return {
    runId,
    task,
    status: 'skipped',
    attempts: 0,
    startedAt: at.toISOString(),
    finishedAt: at.toISOString(),
    durationMs: 0,
    peakRssBytes: null,
    requests: 0,
    connections: 0,
    bytesIn: 0,
    error: reason,
    output: null,
  };
}

function readDownPlatforms(health: unknown): Set<PlatformName> {
  const down = (health as { downPlatforms?: unknown } | undefined)?.downPlatforms;
  return new Set(Array.isArray(down) ? (down as PlatformName[]) : []);
}

function readDownReasons(health: unknown): Map<PlatformName, string> {
  const reasons = (health as { downReasons?: unknown } | undefined)?.downReasons;
  if (typeof reasons !== 'object' || reasons === null) return new Map();
  const entries = Object.entries(reasons).filter(
    (entry): entry is [PlatformName, string] => typeof entry[1] === 'string',
  );
  return new Map(entries);
}

function diffStats(before: HttpStats, after: HttpStats) {
  return {
    requests: after.requests - before.requests,
    connections: after.connections - before.connections,
    bytesIn: after.bytesIn - before.bytesIn,
    // Hand-built stats may lack the count of answered requests; then reuse is judged without it.
    responses:
      after.responses === undefined ? undefined : after.responses - (before.responses ?? 0),
  };
}

/** A sortable, unique run id such as `20261203T195210Z-1a2b3c`. */
export function createRunId(at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomUUID().slice(0, 6)}`;
}
