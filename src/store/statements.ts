/**
 * The store's SQL, prepared once per connection.
 * @internal
 */
import type Database from 'better-sqlite3';
import { COUNT_KEYS } from './rows.ts';

const COUNTS_SQL = COUNT_KEYS.join(', ');
const COUNTS_PARAMS = COUNT_KEYS.map((key) => `@${key}`).join(', ');
const COUNTS_CHANGED = COUNT_KEYS.map((key) => `${key} IS NOT excluded.${key}`).join(' OR ');
const FIELDS = ['account', 'url', 'created_at', 'text', 'kind', 'media_kind', 'hashtags'];

// Fields always follow the latest write; counts follow only an observation at least as new as
// the stored one, so a late, older page cannot roll counts back. The WHERE keeps an identical
// re-upsert a no-op, which is how `updated` stays exact.
const UPSERT_POST_SQL = `
  INSERT INTO posts (platform, post_id, account, url, created_at, text, kind, media_kind, hashtags,
    first_seen_at, last_seen_at, observed_at, ${COUNTS_SQL})
  VALUES (@platform, @postId, @account, @url, @createdAt, @text, @kind, @mediaKind, @hashtags,
    @observedAt, @observedAt, @observedAt, ${COUNTS_PARAMS})
  ON CONFLICT (platform, post_id) DO UPDATE SET
    ${FIELDS.map((field) => `${field} = excluded.${field}`).join(', ')},
    first_seen_at = min(first_seen_at, excluded.first_seen_at),
    last_seen_at = max(last_seen_at, excluded.last_seen_at),
    ${COUNT_KEYS.map(
      (key) =>
        `${key} = CASE WHEN excluded.observed_at >= observed_at THEN excluded.${key} ELSE ${key} END`,
    ).join(',\n    ')},
    observed_at = max(observed_at, excluded.observed_at)
  WHERE ${FIELDS.map((field) => `${field} IS NOT excluded.${field}`).join(' OR ')}
    OR excluded.observed_at > observed_at
    OR excluded.observed_at < first_seen_at
    OR (excluded.observed_at = observed_at AND (${COUNTS_CHANGED}))`;

const INSERT_SNAPSHOT_SQL = `
  INSERT INTO snapshots (post_ref, observed_at, ${COUNTS_SQL})
  VALUES (@id, @observedAt, ${COUNTS_PARAMS})
  ON CONFLICT (post_ref, observed_at) DO NOTHING`;

const REFRESH_COUNTS_SQL = `
  UPDATE posts SET
    ${COUNT_KEYS.map((key) => `${key} = @${key}`).join(', ')},
    observed_at = @observedAt,
    last_seen_at = max(last_seen_at, @observedAt)
  WHERE id = @id AND observed_at <= @observedAt`;

// The weight left to a count last updated at `updated_at`, seen at @at: 2^(-elapsed / half-life).
// A clock behind the stored time (another process's) decays nothing rather than inflating.
const DECAY_FACTOR = `pow(0.5, max(0, julianday(@at) - julianday(updated_at)) / @halfLifeDays)`;

/**
 * One prepared statement. Named here because better-sqlite3's typings keep their statement type
 * in a namespace they do not export, so the build could not write declarations that name it.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a nameable alias, nothing more
export interface SqlStatement extends Database.Statement<unknown[], unknown> {}

/** Prepares every statement the store runs. */
export function prepareStatements(db: Database.Database) {
  const prepare = (sql: string): SqlStatement => db.prepare(sql);

  return {
    insertAccount: prepare('INSERT OR IGNORE INTO accounts (platform, account) VALUES (?, ?)'),
    selectPostId: prepare('SELECT id FROM posts WHERE platform = ? AND post_id = ?'),
    upsertPost: prepare(UPSERT_POST_SQL),
    insertSnapshot: prepare(INSERT_SNAPSHOT_SQL),
    refreshCounts: prepare(REFRESH_COUNTS_SQL),
    listAccounts: prepare(
      `SELECT platform, account, count(*) AS posts FROM posts
       GROUP BY platform, account ORDER BY platform, account`,
    ),
    getCheckpoint: prepare('SELECT * FROM checkpoints WHERE platform = ? AND account = ?'),
    setCheckpoint: prepare(
      `INSERT INTO checkpoints (platform, account, newest_post_id, completed_at)
       VALUES (@platform, @account, @newestPostId, @completedAt)
       ON CONFLICT (platform, account) DO UPDATE SET
         newest_post_id = excluded.newest_post_id, completed_at = excluded.completed_at`,
    ),
    saveScore: prepare(
      `INSERT INTO scores (run_id, post_ref, engagement, z, ratio, is_viral, reason, arms, basis,
         age_hours, predicted)
       VALUES (@runId, @postRef, @engagement, @z, @ratio, @isViral, @reason, @arms, @basis,
         @ageHours, @predicted)
       ON CONFLICT (run_id, post_ref) DO UPDATE SET
         engagement = excluded.engagement, z = excluded.z, ratio = excluded.ratio,
         is_viral = excluded.is_viral, reason = excluded.reason, arms = excluded.arms,
         basis = excluded.basis, age_hours = excluded.age_hours, predicted = excluded.predicted`,
    ),
    latestScores: prepare(
      `SELECT p.platform, p.post_id, s.run_id, s.engagement, s.z, s.ratio, s.is_viral, s.reason,
         s.arms, s.basis, s.age_hours, s.predicted
       FROM scores s JOIN posts p ON p.id = s.post_ref
       WHERE s.run_id = ? ORDER BY p.platform, p.account, p.created_at, p.id`,
    ),
    incrementArm: prepare(
      `INSERT INTO arms (arm, successes, failures, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (arm) DO UPDATE SET
         successes = successes + excluded.successes,
         failures = failures + excluded.failures,
         updated_at = excluded.updated_at`,
    ),
    // One statement, so a concurrent writer can never slip between the decay and the addition.
    incrementArmDecayed: prepare(
      `INSERT INTO arms (arm, successes, failures, updated_at)
       VALUES (@arm, @successes, @failures, @at)
       ON CONFLICT (arm) DO UPDATE SET
         successes = successes * ${DECAY_FACTOR.replaceAll('@at', 'excluded.updated_at')}
           + excluded.successes,
         failures = failures * ${DECAY_FACTOR.replaceAll('@at', 'excluded.updated_at')}
           + excluded.failures,
         updated_at = max(updated_at, excluded.updated_at)`,
    ),
    loadArms: prepare('SELECT arm, successes, failures FROM arms ORDER BY arm'),
    loadArmsDecayed: prepare(
      `SELECT arm, successes * ${DECAY_FACTOR} AS successes, failures * ${DECAY_FACTOR} AS failures
       FROM arms ORDER BY arm`,
    ),
    uncountedScores: prepare(
      `SELECT s.post_ref, s.is_viral, s.arms, (c.post_ref IS NOT NULL) AS counted
       FROM scores s LEFT JOIN counted_posts c ON c.post_ref = s.post_ref
       WHERE s.run_id = ? AND s.z IS NOT NULL ORDER BY s.post_ref`,
    ),
    markCounted: prepare(
      'INSERT INTO counted_posts (post_ref, run_id, counted_at) VALUES (?, ?, ?)',
    ),
    insertDecision: prepare(
      `INSERT INTO decisions (run_id, slot, arm, propensity, decided_at)
       VALUES (@runId, @slot, @arm, @propensity, @decidedAt)
       ON CONFLICT (run_id, slot, arm) DO UPDATE SET
         propensity = excluded.propensity, decided_at = excluded.decided_at`,
    ),
    listDecisions: prepare('SELECT * FROM decisions WHERE run_id = ? ORDER BY slot, id'),
    startRun: prepare(
      `INSERT INTO runs (run_id, started_at, status, config_json) VALUES (?, ?, 'running', ?)
       ON CONFLICT (run_id) DO UPDATE SET
         started_at = excluded.started_at, status = 'running', config_json = excluded.config_json,
         finished_at = NULL, report_json = NULL`,
    ),
    finishRun: prepare(
      'UPDATE runs SET status = ?, finished_at = ?, report_json = ? WHERE run_id = ?',
    ),
    latestRun: prepare('SELECT run_id FROM runs ORDER BY started_at DESC, rowid DESC LIMIT 1'),
    saveTaskRun: prepare(
      `INSERT INTO task_runs (run_id, task, status, attempts, started_at, finished_at, duration_ms,
         peak_rss_bytes, requests, connections, bytes_in, error, output_json)
       VALUES (@runId, @task, @status, @attempts, @startedAt, @finishedAt, @durationMs,
         @peakRssBytes, @requests, @connections, @bytesIn, @error, @output)
       ON CONFLICT (run_id, task) DO UPDATE SET
         status = excluded.status, attempts = excluded.attempts, started_at = excluded.started_at,
         finished_at = excluded.finished_at, duration_ms = excluded.duration_ms,
         peak_rss_bytes = excluded.peak_rss_bytes, requests = excluded.requests,
         connections = excluded.connections, bytes_in = excluded.bytes_in, error = excluded.error,
         output_json = excluded.output_json`,
    ),
    listTaskRuns: prepare('SELECT * FROM task_runs WHERE run_id = ? ORDER BY started_at, id'),
    // Newest successful runs of each task, its output left out (history needs only figures).
    listTaskHistory: prepare(
      `SELECT run_id, task, status, attempts, started_at, finished_at, duration_ms, peak_rss_bytes,
         requests, connections, bytes_in, error, NULL AS output_json
       FROM (
         SELECT t.*, row_number() OVER (
             PARTITION BY t.task ORDER BY t.started_at DESC, t.id DESC) AS recency
         FROM task_runs t LEFT JOIN runs r ON r.run_id = t.run_id
         WHERE t.status = 'succeeded' AND t.run_id != @excludeRunId
           AND (@profile IS NULL OR r.config_json IS NULL
             OR json_extract(r.config_json, '$.profile') = @profile)
       )
       WHERE recency <= @perTask
       ORDER BY task, started_at DESC, id DESC`,
    ),
    latestTaskOutput: prepare(
      `SELECT run_id, output_json FROM task_runs
       WHERE task = ? AND status = 'succeeded' AND output_json IS NOT NULL
       ORDER BY coalesce(finished_at, started_at) DESC, id DESC LIMIT 1`,
    ),
  };
}

/** The prepared statements of one connection. */
export type Statements = ReturnType<typeof prepareStatements>;
