/** The shape of the run report, stored as JSON with the run. */
import type { PlatformName } from '../platforms/types.ts';

/** The outcome of one task in the report. */
export interface ReportTask {
  name: string;
  status: string;
  attempts: number;
  durationMs: number | null;
  peakRssBytes: number | null;
  requests: number;
  connections: number;
  reuseRatio: number | null;
  bytesIn: number;
  error: string | null;
}

/** What the scrape did for one account. */
export interface ReportAccount {
  platform: PlatformName;
  account: string;
  pages: number;
  posts: number;
  new: number;
  status: string;
  error?: string;
}

/** A post labelled viral. */
export interface ReportViralPost {
  platform: PlatformName;
  account: string;
  postId: string;
  url: string | null;
  score: number | null;
  ratio: number | null;
  reason: string;
  /** The baseline that judged it: `equal-age`, `mature` or `all`. Absent in older reports. */
  basis?: string;
  /** Its age when its counts were read, hours. Absent in older reports. */
  ageHours?: number;
}

/** A young post the early-prediction model expects to be viral once mature. */
export interface ReportRisingPost {
  platform: PlatformName;
  account: string;
  postId: string;
  url: string | null;
  ageHours: number;
  engagement: number;
  predicted: number;
  ratio: number;
  score: number;
}

/** The early-prediction model of one platform and its error on held-out posts. */
export interface ReportPrediction {
  platform: PlatformName;
  targetHours: number;
  posts: number;
  /** Ages with a fitted growth term. */
  ages: number[];
  trainPairs: number;
  heldOutPairs: number;
  /** Mean absolute error of log1p(engagement) at the target age; null without pairs. */
  maeLog: number | null;
  /** The same when predicting no growth. */
  persistenceMaeLog: number | null;
  medianRelativeError: number | null;
}

/** What the engine's refresh did on one platform. */
export interface ReportRefresh {
  platform: PlatformName;
  posts: number;
  cached: number;
  batchSize: number;
  batches: number;
  requests: number;
  refreshed: number;
  failed: number;
}

/** The engine's labels, predictions and refresh. */
export interface ReportEngine {
  labels: {
    viral: number;
    notViral: number;
    noBaseline: number;
    notScored: number;
    byBasis: Record<string, number>;
  };
  rising: ReportRisingPost[];
  prediction: ReportPrediction[];
  refresh: ReportRefresh[];
}

/** One bandit arm's posterior. */
export interface ReportArm {
  arm: string;
  successes: number;
  failures: number;
  mean: number | null;
  probBest: number | null;
}

/** One recommended post: the pattern of each feature, and the policy's propensity. */
export interface ReportRecommendation {
  slot: number;
  patterns: Record<string, string>;
  propensity: number | null;
}

/** One health check. */
export interface ReportHealth {
  name: string;
  kind: string;
  ok: boolean;
  latencyMs: number | null;
  error?: string;
  /** The state after the thresholds (`up`, `down`, `unknown`); a failed probe may leave it up. */
  state?: string;
  /** Failed probes in a row. */
  failures?: number;
  /** The target's breaker: `closed`, `open` or `half-open`. */
  breaker?: string;
}

/** One scraped metrics endpoint. */
export interface ReportMetrics {
  service: string;
  ok: boolean;
  families: number;
  samples: number;
  error?: string;
}

/** What the HTTP layer did for one origin during the run. */
export interface ReportHttpOrigin {
  origin: string;
  requests: number;
  connections: number;
  reuseRatio: number | null;
  bytesIn: number;
  /** Request body bytes sent; absent from reports stored before it existed. */
  bytesOut?: number;
  retries: number;
  /** Requests that failed after all their attempts. */
  errors: number;
  /** Attempts that waited for a rate limit, and for how long in all (ms). */
  rateLimitWaits: number;
  rateLimitWaitMs: number;
  /** Backoff and rate-limit waits together, ms. */
  waitMs: number;
  /** The circuit breaker at the end of the run: `closed`, `half-open` or `open`. */
  circuitState: string;
  circuitOpens: number;
  /** Attempts the breaker refused. */
  circuitRejections: number;
}

/** Lookups answered at one cache tier. */
export interface ReportCacheTier {
  tier: string;
  hits: number;
  misses: number;
  errors: number;
}

/** The cache in the report: `off` in the naive profile, `degraded` when a tier failed. */
export interface ReportCache {
  state: 'ok' | 'degraded' | 'off';
  tiers: ReportCacheTier[];
  problem?: string;
  /** The Redis URL, password masked. */
  redis?: string;
}

/** One task of this run against its earlier runs (the metrics task's history comparison). */
export interface ReportHistory {
  task: string;
  /** Earlier successful runs compared. */
  runs: number;
  durationMs: number | null;
  medianDurationMs: number | null;
  p99DurationMs: number | null;
  /** this / median - 1. */
  durationChange: number | null;
  isDurationRegression: boolean;
  peakRssBytes: number | null;
  medianPeakRssBytes: number | null;
  p99PeakRssBytes: number | null;
  peakRssChange: number | null;
  isMemoryRegression: boolean;
}

/** Everything a run reports; stored as JSON with the run and rendered by the CLI. */
export interface RunReport {
  runId: string;
  /** `degraded`: everything ran, but a fallback carried part of it (the cache's Redis tier was down). */
  status: 'succeeded' | 'degraded' | 'partial' | 'failed';
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601. */
  finishedAt: string;
  durationMs: number;
  profile: string;
  tasks: ReportTask[];
  posts: { total: number; new: number; updated: number; pages: number; byAccount: ReportAccount[] };
  viral: ReportViralPost[];
  arms: ReportArm[];
  recommendations: ReportRecommendation[];
  health: ReportHealth[];
  metrics: ReportMetrics[];
  /** This run's tasks against earlier runs; absent when the metrics task did not run. */
  history?: ReportHistory[];
  http: {
    requests: number;
    connections: number;
    reuseRatio: number | null;
    bytesIn: number;
    /** Request body bytes sent; absent from reports stored before it existed. */
    bytesOut?: number;
    retries: number;
    /** Per origin; absent from reports stored before it existed. */
    byOrigin?: ReportHttpOrigin[];
  };
  problems: string[];
  /**
   * Hints for a run that did its job but had nothing to work on (a task run alone on an empty
   * store, a config without accounts); absent when there are none.
   */
  notes?: string[];
  /** The engine's labels, predictions and refresh; absent when it did not run (and in older reports). */
  engine?: ReportEngine;
  /** The cache's tiers and state; absent in reports written before the cache reported. */
  cache?: ReportCache;
}
