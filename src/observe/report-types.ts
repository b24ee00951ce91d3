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

/** HTTP figures of one origin in a run. */
export interface ReportOrigin {
  origin: string;
  requests: number;
  connections: number;
  bytesIn: number;
  /** Time spent waiting for rate limits and Retry-After, milliseconds. */
  waitMs: number;
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
  http: {
    requests: number;
    connections: number;
    reuseRatio: number | null;
    bytesIn: number;
    retries: number;
    /** Per origin, so `flywheel serve` can count stored runs by origin. */
    byOrigin?: ReportOrigin[];
  };
  problems: string[];
  /** The cache's tiers and state; absent in reports written before the cache reported. */
  cache?: ReportCache;
}
