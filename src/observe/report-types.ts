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
  /** This run's tasks against earlier runs; absent when the metrics task did not run. */
  history?: ReportHistory[];
  http: {
    requests: number;
    connections: number;
    reuseRatio: number | null;
    bytesIn: number;
    retries: number;
  };
  problems: string[];
}
