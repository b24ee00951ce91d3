/** The store contract: SQLite in the embedded mode (later PostgreSQL). Only the store touches SQL. */
import type { Counts, Post, PlatformName } from '../platforms/types.ts';

export interface UpsertResult {
  /** Posts seen for the first time. */
  inserted: number;
  /** Posts already stored whose fields or counts were refreshed. */
  updated: number;
  /** Count snapshots written (one per post whose counts or observation time are new). */
  snapshots: number;
}

export interface Snapshot {
  observedAt: string;
  counts: Counts;
}

/** A stored post with its latest counts and its snapshot history (oldest first). */
export interface StoredPost extends Post {
  snapshots: Snapshot[];
}

export interface PostScore {
  platform: PlatformName;
  postId: string;
  runId: string;
  engagement: number | null;
  /** Robust z-score against the account baseline; null when there is no baseline yet. */
  zScore: number | null;
  /** Ratio of the post's engagement to the account median; null without a baseline. */
  ratio: number | null;
  isViral: boolean;
  /** Why the label was given, for the report. */
  reason: string;
  /**
   * The post's pattern arms (`feature=value`). Stored with the score so the bandit can apply each
   * post's outcome once (see `Store.applyOutcomes`). Optional: absent means no arms.
   */
  arms?: readonly string[];
  /** Which baseline judged the post (`equal-age`, `mature`, `all`); absent or null when none. */
  basis?: string | null;
  /** The post's age when its counts were read, hours. Absent or null when not recorded. */
  ageHours?: number | null;
  /** A young post's predicted engagement at the mature age. Absent or null without one. */
  predicted?: number | null;
}

/** What `Store.applyOutcomes` added to the arms. */
export interface AppliedOutcomes {
  /** Scored posts counted now for the first time. */
  posts: number;
  /** Scored posts skipped because an earlier call had counted them already. */
  alreadyCounted: number;
  /** The increments applied, one entry per arm touched. */
  deltas: ArmState[];
}

export interface ArmState {
  /** `feature=value`, e.g. `hook=question`. */
  arm: string;
  successes: number;
  failures: number;
}

/**
 * Exponential forgetting of arm counts, for drifting tastes: a count recorded `halfLifeDays` days
 * before `at` weighs half. Stored counts are kept decayed to their `updated_at`; each update decays
 * them to its own time before adding, and each read decays them to the time it asks about.
 */
export interface ArmDecay {
  /** Half-life of an outcome's weight, in days (> 0). */
  halfLifeDays: number;
  /** ISO time the counts are updated or read at. */
  at: string;
}

export interface Decision {
  runId: string;
  slot: number;
  arm: string;
  /** Probability the policy had of choosing this arm (Monte Carlo estimate). */
  propensity: number;
  decidedAt: string;
}

export type RunStatus = 'running' | 'succeeded' | 'degraded' | 'partial' | 'failed';
export type TaskStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

export interface TaskRunRecord {
  runId: string;
  task: string;
  status: TaskStatus;
  attempts: number;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  peakRssBytes: number | null;
  requests: number;
  connections: number;
  bytesIn: number;
  error: string | null;
  /** The task's output as JSON, so a later task run alone can read it. */
  output: string | null;
}

/** Which earlier task runs `Store.listTaskHistory` returns. */
export interface TaskHistoryQuery {
  /** Leave this run out, e.g. the run being compared with its history. */
  excludeRunId?: string;
  /** Newest successful runs kept per task. */
  perTask: number;
  /**
   * Only runs whose stored config has this `profile` (or that have no stored run), so naive runs
   * never set the bar for optimised ones. Default: any profile.
   */
  profile?: string;
}

export interface Checkpoint {
  platform: PlatformName;
  account: string;
  /** Newest post id seen at the end of the last complete scrape of this account. */
  newestPostId: string | null;
  /** ISO time of the last complete scrape. */
  completedAt: string | null;
}

export interface PostFilter {
  platform?: PlatformName;
  account?: string;
  /** ISO time: only posts created at or after it. */
  createdSince?: string;
  /** Whether `listPosts` loads each post's snapshot history. Default true; false leaves it empty. */
  withSnapshots?: boolean;
}

/** The remembered health of one probed target (see the health operator's thresholds). */
export interface HealthRecord {
  /** `kind:name`, e.g. `platform:reddit`. */
  target: string;
  state: 'up' | 'down' | 'unknown';
  /** Consecutive failed probes. */
  failures: number;
  /** Consecutive successful probes. */
  successes: number;
  /** ISO time of the last definite probe. */
  checkedAt: string | null;
  /** ISO time the state last changed. */
  changedAt: string | null;
  lastError: string | null;
  /** The target's circuit breaker, as cockatiel's `toJSON()` text. */
  breaker: string | null;
}

/** A finished run's stored report. */
export interface StoredReport {
  runId: string;
  status: RunStatus;
  finishedAt: string | null;
  /** The report as the run wrote it. */
  reportJson: string;
}

export interface Store {
  /** Inserts new posts and refreshes known ones in one transaction; never duplicates. */
  upsertPosts(posts: readonly Post[]): UpsertResult;
  /** Adds count snapshots for known posts (from batch lookups); unknown ids are ignored and counted. */
  recordSnapshots(posts: readonly Post[]): { recorded: number; unknown: number };
  countPosts(filter?: PostFilter): number;
  listPosts(filter?: PostFilter): StoredPost[];
  /** Accounts that have stored posts, per platform. */
  listAccounts(): { platform: PlatformName; account: string; posts: number }[];

  getCheckpoint(platform: PlatformName, account: string): Checkpoint | null;
  setCheckpoint(checkpoint: Checkpoint): void;

  saveScores(scores: readonly PostScore[]): void;
  latestScores(runId: string): PostScore[];

  /**
   * Adds outcome counts to arms atomically (a single transaction of increments). With `decay`,
   * each arm's stored counts are first decayed to `decay.at`, in the same statement.
   */
  incrementArms(deltas: readonly ArmState[], decay?: ArmDecay): void;
  /** The arms by name; with `decay`, their counts as they weigh at `decay.at`. */
  loadArms(decay?: ArmDecay): ArmState[];
  /**
   * Turns the scores of `runId` into arm outcomes, each post counted once across all runs: a
   * scored (z not null) viral post is a success for each of its arms, a scored non-viral one a
   * failure. Marking posts as counted and incrementing the arms happen in one transaction. With
   * `halfLifeDays`, the arms' counts are decayed to `countedAt` first (see `ArmDecay`).
   */
  applyOutcomes(
    runId: string,
    countedAt: string,
    options?: { halfLifeDays?: number | undefined },
  ): AppliedOutcomes;
  /** Records decisions; recording the same (run, slot, arm) again replaces it, never duplicates. */
  recordDecisions(decisions: readonly Decision[]): void;
  listDecisions(runId: string): Decision[];

  startRun(runId: string, startedAt: string, configJson: string): void;
  finishRun(runId: string, status: RunStatus, finishedAt: string, reportJson: string | null): void;
  latestRunId(): string | null;
  saveTaskRun(record: TaskRunRecord): void;
  listTaskRuns(runId: string): TaskRunRecord[];
  /** Successful runs of every task, newest first per task, outputs left out (for history). */
  listTaskHistory(query: TaskHistoryQuery): TaskRunRecord[];
  /** The latest successful output of a task, from any run (for running one task alone). */
  latestTaskOutput(task: string): { runId: string; output: string } | null;
  /** The report of the latest run that wrote one. */
  latestReport(): StoredReport | null;
  /** The reports of the latest `limit` runs that wrote one, newest first. */
  recentReports(limit: number): StoredReport[];

  /** Every remembered health target. */
  loadHealth(): HealthRecord[];
  /** Inserts or replaces the given targets' records in one transaction. */
  saveHealth(records: readonly HealthRecord[]): void;
  /** Runs `SELECT 1`; raises StoreError when the store does not answer. */
  ping(): void;

  close(): void;
}
