/**
 * Builds the run report from the task results and outputs. Lives in the pipeline (above the
 * operators) because it reads every operator's output type.
 */
import type { AppConfig } from '../config/schema.ts';
import { reuseRatio } from '../http/index.ts';
import type { HttpStats } from '../http/types.ts';
import type { ReportCache, ReportHistory, RunReport } from '../observe/report.ts';
import type { EngineOutput } from '../operators/engine/index.ts';
import type { HealthOutput } from '../operators/health/index.ts';
import type { MetricsOutput } from '../operators/metrics/index.ts';
import type { ScrapeOutput } from '../operators/scraper/index.ts';
import type { ThompsonOutput } from '../operators/thompson/index.ts';
import type { Store } from '../store/types.ts';
import type { RunResult } from './runner.ts';

export interface ReportSources {
  config: AppConfig;
  store: Store;
  http: HttpStats;
  /** The cache's state and per-tier counts at the end of the run. */
  cache?: ReportCache;
}

/** The report of one run: what each task did, what was found, learnt and recommended. */
export function buildReport(result: RunResult, sources: ReportSources): RunReport {
  const out = result.outputs;
  const scrape = out.scrape as ScrapeOutput | undefined;
  const engine = out.engine as EngineOutput | undefined;
  const thompson = out.thompson as ThompsonOutput | undefined;
  const health = out.health as HealthOutput | undefined;
  const metrics = out.metrics as MetricsOutput | undefined;
  const problems = collectProblems(result, scrape, health, metrics, engine);
  problems.push(...circuitProblems(sources.http));
  if (sources.cache?.problem !== undefined) problems.push(`cache: ${sources.cache.problem}`);

  return {
    runId: result.runId,
    status: degradedBy(runStatus(result, scrape), sources.cache),
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    durationMs: result.durationMs,
    profile: sources.config.profile,
    tasks: result.tasks.map((task) => ({
      name: task.task,
      status: task.status,
      attempts: task.attempts,
      durationMs: task.durationMs,
      peakRssBytes: task.peakRssBytes,
      requests: task.requests,
      connections: task.connections,
      reuseRatio: task.reuseRatio,
      bytesIn: task.bytesIn,
      error: task.error,
    })),
    posts: {
      total: sources.store.countPosts(),
      new: scrape?.inserted ?? 0,
      updated: scrape?.updated ?? 0,
      pages: scrape?.pages ?? 0,
      byAccount: (scrape?.accounts ?? []).map((account) => ({
        platform: account.platform,
        account: account.account,
        pages: account.pages,
        posts: account.posts,
        new: account.inserted,
        status: account.status,
        ...(account.error ? { error: account.error } : {}),
      })),
    },
    viral: (engine?.viral ?? []).map((post) => ({
      platform: post.platform,
      account: post.account,
      postId: post.postId,
      url: post.url,
      score: post.score,
      ratio: post.ratio,
      reason: post.reason,
      basis: post.basis,
      ageHours: post.ageHours,
    })),
    arms: (thompson?.arms ?? []).map((arm) => ({
      arm: arm.arm,
      successes: arm.successes,
      failures: arm.failures,
      mean: arm.mean,
      probBest: arm.probBest,
    })),
    recommendations: (thompson?.recommendations ?? []).map((rec) => ({
      slot: rec.slot,
      patterns: rec.patterns,
      propensity: rec.propensity,
    })),
    health: (health?.checks ?? []).map((check) => ({
      name: check.name,
      kind: check.kind,
      ok: check.ok,
      latencyMs: check.latencyMs,
      ...(check.error ? { error: check.error } : {}),
      ...(check.state ? { state: check.state, failures: check.failures } : {}),
      ...(check.breaker ? { breaker: check.breaker } : {}),
    })),
    metrics: (metrics?.services ?? []).map((service) => ({
      service: service.kind === 'json' ? `${service.name} (json)` : service.name,
      ok: service.ok,
      families: service.families,
      samples: service.samples,
      ...(service.errors.length > 0 ? { error: service.errors[0] } : {}),
    })),
    ...(metrics === undefined ? {} : { history: historyRows(metrics) }),
    http: {
      requests: sources.http.requests,
      connections: sources.http.connections,
      reuseRatio: sources.http.reuseRatio,
      bytesIn: sources.http.bytesIn,
      bytesOut: sources.http.bytesOut,
      retries: sources.http.retries,
      byOrigin: sources.http.byOrigin.map((origin) => ({
        origin: origin.origin,
        requests: origin.requests,
        connections: origin.connections,
        reuseRatio: reuseRatio(origin),
        bytesIn: origin.bytesIn,
        bytesOut: origin.bytesOut,
        retries: origin.retries,
        errors: origin.errors,
        rateLimitWaits: origin.rateLimitWaits,
        rateLimitWaitMs: origin.rateLimitWaitMs,
        waitMs: origin.waitMs,
        circuitState: origin.circuitState,
        circuitOpens: origin.circuitOpens,
        circuitRejections: origin.circuitRejections,
      })),
    },
    problems,
    ...withNotes(runNotes(result, sources)),
    ...(engine ? { engine: engineSection(engine) } : {}),
    ...(sources.cache ? { cache: sources.cache } : {}),
  };
}

function withNotes(notes: string[]): { notes?: string[] } {
  return notes.length === 0 ? {} : { notes };
}

/**
 * Hints for tasks that succeeded on nothing: run alone on an empty store, or given no accounts
 * or services. The status stays what it is; the note says what to do next.
 */
function runNotes(result: RunResult, sources: ReportSources): string[] {
  const ran = new Set(result.tasks.filter((t) => t.status === 'succeeded').map((t) => t.task));
  const didScrape = result.tasks.some((task) => task.task === 'scrape');
  // A whole run of a config that only watches services (or only accounts) is fine as it is.
  const isAlone = result.tasks.length === 1;
  const notes: string[] = [];

  if (isAlone && ran.has('scrape') && sources.config.accounts.length === 0) {
    notes.push('no accounts in the config: nothing to scrape (see docs/configuration.md)');
  }
  const usesPosts = ran.has('engine') || ran.has('thompson');
  if (usesPosts && !didScrape && sources.store.countPosts() === 0) {
    notes.push('nothing stored yet: run `flywheel task scrape` first');
  } else if (
    ran.has('thompson') &&
    !ran.has('engine') &&
    sources.store.latestTaskOutput('engine') === null
  ) {
    notes.push('no scored posts yet: run `flywheel task engine` first');
  }
  const hasMetricsUrl = sources.config.services.some((service) => service.metricsUrl);
  if (isAlone && ran.has('metrics') && !hasMetricsUrl) {
    notes.push('no service has a metricsUrl: nothing to collect (see docs/configuration.md)');
  }

  return notes;
}

/** The engine's part of the report. */
function engineSection(engine: EngineOutput): NonNullable<RunReport['engine']> {
  return {
    labels: engine.labels,
    rising: engine.rising,
    prediction: engine.prediction.map((model) => ({
      platform: model.platform,
      targetHours: model.targetHours,
      posts: model.posts,
      ages: model.steps.map((step) => step.ageHours),
      trainPairs: model.trainPairs,
      heldOutPairs: model.heldOut.pairs,
      maeLog: model.heldOut.maeLog,
      persistenceMaeLog: model.heldOut.persistenceMaeLog,
      medianRelativeError: model.heldOut.medianRelativeError,
    })),
    refresh: engine.refresh.platforms,
  };
}

/** An origin whose breaker opened during the run is degraded, even if it recovered. */
function circuitProblems(http: HttpStats): string[] {
  return http.byOrigin
    .filter((origin) => origin.circuitOpens > 0 || origin.circuitState !== 'closed')
    .map(
      (origin) =>
        `circuit for ${origin.origin} opened ${origin.circuitOpens} time${origin.circuitOpens === 1 ? '' : 's'} ` +
        `and refused ${origin.circuitRejections} attempt${origin.circuitRejections === 1 ? '' : 's'}; it is ${origin.circuitState} now`,
    );
}

/** A run that otherwise succeeded is `degraded` when the cache had to fall back to memory. */
function degradedBy(
  status: RunReport['status'],
  cache: ReportCache | undefined,
): RunReport['status'] {
  return status === 'succeeded' && cache?.state === 'degraded' ? 'degraded' : status;
}

/** failed: a task failed or nothing was scraped; partial: some account or task is incomplete. */
function runStatus(result: RunResult, scrape: ScrapeOutput | undefined): RunReport['status'] {
  const failedTasks = result.tasks.filter((task) => task.status === 'failed');
  const accounts = scrape?.accounts ?? [];
  const incomplete = accounts.filter((account) => account.status !== 'ok');

  if (failedTasks.length === result.tasks.length && result.tasks.length > 0) return 'failed';
  if (failedTasks.length > 0 || result.tasks.some((task) => task.status === 'skipped')) {
    return 'partial';
  }
  if (accounts.length > 0 && incomplete.length === accounts.length) return 'failed';
  return incomplete.length > 0 ? 'partial' : 'succeeded';
}

function collectProblems(
  result: RunResult,
  scrape: ScrapeOutput | undefined,
  health: HealthOutput | undefined,
  metrics: MetricsOutput | undefined,
  engine: EngineOutput | undefined,
): string[] {
  const problems: string[] = [];
  for (const task of result.tasks) {
    if (task.status !== 'succeeded' && task.error)
      problems.push(`task ${task.task}: ${task.error}`);
  }
  for (const account of scrape?.accounts ?? []) {
    if (account.status !== 'ok') {
      problems.push(
        `${account.platform} ${account.account} ${account.status}: ${account.error ?? ''}`.trim(),
      );
    }
  }
  for (const error of engine?.refresh.errors ?? []) problems.push(`engine refresh: ${error}`);
  for (const check of health?.checks ?? []) {
    if (check.ok || check.isUnknown) continue;
    // Outputs of earlier versions have no state: a failed probe was a down target then.
    const isDown = (check.state ?? 'down') === 'down';
    const what = isDown ? 'down' : `failing (${check.failures} in a row, still up)`;
    problems.push(`${check.kind} ${check.name} ${what}: ${check.error ?? ''}`);
  }
  for (const service of metrics?.services ?? []) {
    if (!service.ok)
      problems.push(`metrics ${service.name}: ${service.errors[0] ?? 'not collected'}`);
  }
  // An output stored by an older Flywheel may lack the history comparison.
  for (const regression of metrics?.history?.regressions ?? []) {
    problems.push(`regression: ${regression.message}`);
  }

  return problems;
}

function historyRows(metrics: MetricsOutput): ReportHistory[] {
  return (metrics.history?.tasks ?? []).map((task) => ({
    task: task.task,
    runs: task.runs,
    durationMs: task.duration.current,
    medianDurationMs: task.duration.median,
    p99DurationMs: task.duration.p99,
    durationChange: task.duration.change,
    isDurationRegression: task.duration.isRegression,
    peakRssBytes: task.memory.current,
    medianPeakRssBytes: task.memory.median,
    p99PeakRssBytes: task.memory.p99,
    peakRssChange: task.memory.change,
    isMemoryRegression: task.memory.isRegression,
  }));
}
