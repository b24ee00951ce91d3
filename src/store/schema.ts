/**
 * The SQLite schema as numbered migrations. The version lives in `PRAGMA user_version`; each
 * migration runs once, in its own immediate transaction, so processes opening the same fresh file
 * at once do not apply it twice.
 */
import type Database from 'better-sqlite3';

const COUNT_COLUMNS = `
  views INTEGER,
  likes INTEGER,
  replies INTEGER,
  reposts INTEGER,
  quotes INTEGER,
  score INTEGER`;

/** Migrations in order; entry i takes the schema from version i to i + 1. Never edit a shipped one. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    account TEXT NOT NULL,
    UNIQUE (platform, account)
  );

  CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    post_id TEXT NOT NULL,
    account TEXT NOT NULL,
    url TEXT,
    created_at TEXT NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    media_kind TEXT NOT NULL,
    hashtags TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    observed_at TEXT NOT NULL,${COUNT_COLUMNS},
    UNIQUE (platform, post_id)
  );
  CREATE INDEX posts_by_account ON posts (platform, account, created_at);
  CREATE INDEX posts_by_created ON posts (created_at);

  CREATE TABLE snapshots (
    post_ref INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    observed_at TEXT NOT NULL,${COUNT_COLUMNS},
    UNIQUE (post_ref, observed_at)
  );

  CREATE TABLE scores (
    run_id TEXT NOT NULL,
    post_ref INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    engagement REAL,
    z REAL,
    ratio REAL,
    is_viral INTEGER NOT NULL,
    reason TEXT NOT NULL,
    arms TEXT,
    PRIMARY KEY (run_id, post_ref)
  );

  CREATE TABLE counted_posts (
    post_ref INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    run_id TEXT NOT NULL,
    counted_at TEXT NOT NULL
  );

  CREATE TABLE arms (
    arm TEXT PRIMARY KEY,
    successes REAL NOT NULL DEFAULT 0,
    failures REAL NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL,
    slot INTEGER NOT NULL,
    arm TEXT NOT NULL,
    propensity REAL NOT NULL,
    decided_at TEXT NOT NULL,
    UNIQUE (run_id, slot, arm)
  );

  CREATE TABLE runs (
    run_id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    config_json TEXT NOT NULL,
    report_json TEXT
  );

  CREATE TABLE task_runs (
    id INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL,
    task TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    duration_ms REAL,
    peak_rss_bytes INTEGER,
    requests INTEGER NOT NULL,
    connections INTEGER NOT NULL,
    bytes_in INTEGER NOT NULL,
    error TEXT,
    output_json TEXT,
    UNIQUE (run_id, task)
  );
  CREATE INDEX task_runs_by_task ON task_runs (task, status);

  CREATE TABLE checkpoints (
    platform TEXT NOT NULL,
    account TEXT NOT NULL,
    newest_post_id TEXT,
    completed_at TEXT,
    PRIMARY KEY (platform, account)
  );
  `,
  // 2: how each score was judged (the baseline it used, the post's age) and, for young posts,
  // the early prediction of their engagement at the mature age, so a later run can set the
  // prediction beside what the post really reached.
  `
  ALTER TABLE scores ADD COLUMN basis TEXT;
  ALTER TABLE scores ADD COLUMN age_hours REAL;
  ALTER TABLE scores ADD COLUMN predicted REAL;
  `,
  // 3: the health state of each target, kept across runs (thresholds and breakers).
  `
  CREATE TABLE health_targets (
    target TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    failures INTEGER NOT NULL,
    successes INTEGER NOT NULL,
    checked_at TEXT,
    changed_at TEXT,
    last_error TEXT,
    breaker_json TEXT
  );
  `,
];

/** The schema version this code expects. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database to `SCHEMA_VERSION`. Returns the version found before migrating.
 * @throws Error when the file was written by a newer version of Flywheel.
 */
export function migrate(db: Database.Database): number {
  const found = db.pragma('user_version', { simple: true }) as number;
  if (found > SCHEMA_VERSION) {
    throw new Error(
      `database schema version ${found} is newer than this Flywheel's ${SCHEMA_VERSION}; upgrade Flywheel or use another store.path`,
    );
  }

  for (let version = found; version < SCHEMA_VERSION; version++) {
    const step = db.transaction(() => {
      // Another process may have migrated between our read and our write lock.
      const current = db.pragma('user_version', { simple: true }) as number;
      if (current > version) return;
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    });
    step.immediate();
  }

  return found;
}
