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

/** Everything a run reports; stored as JSON with the run and rendered by the CLI. */
export interface RunReport {
  runId: string;
  status: 'succeeded' | 'partial' | 'failed';
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
    /** Per origin; absent from reports stored before it existed. */
    byOrigin?: ReportHttpOrigin[];
  };
  problems: string[];
}
