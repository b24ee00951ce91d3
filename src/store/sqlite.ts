/**
 * The SQLite store (better-sqlite3): the embedded mode's persistence. WAL journaling and a busy
 * timeout let several processes (workers, a task run alone) write the same file; every
 * multi-row write is one immediate transaction of prepared statements.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError, describeError, isFlywheelError } from '../errors.ts';
import { whyNotWritable } from '../paths.ts';
import type { PlatformName, Post } from '../platforms/types.ts';
import {
  COUNT_KEYS,
  countParams,
  postParams,
  rowCheckpoint,
  rowDecision,
  rowPost,
  rowScore,
  rowSnapshot,
  rowTaskRun,
} from './rows.ts';
import type {
  CheckpointRow,
  DecisionRow,
  PostRow,
  ScoreRow,
  SnapshotRow,
  TaskRunRow,
} from './rows.ts';
import { migrate } from './schema.ts';
import { prepareStatements } from './statements.ts';
import type { Statements } from './statements.ts';
import type {
  AppliedOutcomes,
  ArmDecay,
  ArmState,
  Checkpoint,
  Decision,
  PostFilter,
  PostScore,
  RunStatus,
  Store,
  StoredPost,
  HealthRecord,
  StoredReport,
  TaskHistoryQuery,
  TaskRunRecord,
  UpsertResult,
} from './types.ts';

interface HealthRow {
  target: string;
  state: HealthRecord['state'];
  failures: number;
  successes: number;
  checked_at: string | null;
  changed_at: string | null;
  last_error: string | null;
  breaker_json: string | null;
}

function rowHealth(row: HealthRow): HealthRecord {
  return {
    target: row.target,
    state: row.state,
    failures: row.failures,
    successes: row.successes,
    checkedAt: row.checked_at,
    changedAt: row.changed_at,
    lastError: row.last_error,
    breaker: row.breaker_json,
  };
}

/** Options of `openSqliteStore`. */
export interface SqliteStoreOptions {
  /** How long a write waits for another process's lock before failing, in ms. Default 5000. */
  busyTimeoutMs?: number;
  /** Clock for `updated_at` stamps; injectable for tests. Default: the system clock. */
  now?: () => Date;
}

function postFilterSql(filter: PostFilter, alias: string): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.platform !== undefined) {
    clauses.push(`${alias}.platform = ?`);
    params.push(filter.platform);
  }
  if (filter.account !== undefined) {
    clauses.push(`${alias}.account = ?`);
    params.push(filter.account);
  }
  if (filter.createdSince !== undefined) {
    clauses.push(`${alias}.created_at >= ?`);
    params.push(filter.createdSince);
  }

  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

function checkPost(post: Post): void {
  for (const key of COUNT_KEYS) {
    const value = post.counts[key];
    if (value !== null && !Number.isFinite(value)) {
      throw new StoreError(
        `post ${post.platform}:${post.postId} has counts.${key}=${String(value)}; expected a finite number or null`,
        { details: { platform: post.platform, postId: post.postId, field: key } },
      );
    }
  }
}

function checkDecay(decay: ArmDecay | undefined): void {
  if (decay === undefined) return;
  if (!(decay.halfLifeDays > 0) || !Number.isFinite(decay.halfLifeDays)) {
    throw new StoreError(
      `arm decay got halfLifeDays=${decay.halfLifeDays}; expected a finite number of days > 0`,
      { details: { halfLifeDays: decay.halfLifeDays } },
    );
  }
  if (Number.isNaN(Date.parse(decay.at))) {
    throw new StoreError(`arm decay got at="${decay.at}"; expected an ISO time`, {
      details: { at: decay.at },
    });
  }
}

function checkDelta(delta: ArmState): void {
  if (!Number.isFinite(delta.successes) || !Number.isFinite(delta.failures)) {
    throw new StoreError(
      `arm ${delta.arm} got successes=${delta.successes}, failures=${delta.failures}; expected finite numbers`,
      { details: { arm: delta.arm } },
    );
  }
}

/** A number to store, or null for a missing or non-finite one (SQLite has no NaN). */
function finiteOrNull(value: number | null | undefined): number | null {
  return value !== null && value !== undefined && Number.isFinite(value) ? value : null;
}

/** The SQLite implementation of `Store`. Create it with `openSqliteStore`. */
export class SqliteStore implements Store {
  /** The file path, or `:memory:`. */
  readonly path: string;
  readonly #db: Database.Database;
  readonly #now: () => Date;
  readonly #stmt: Statements;

  constructor(path: string, options: SqliteStoreOptions = {}) {
    this.path = path;
    this.#now = options.now ?? (() => new Date());
    const isFile = path !== ':memory:' && !path.startsWith('file:');
    // Told plainly before SQLite or mkdir answer with EEXIST/ENOTDIR/SQLITE_CANTOPEN.
    const problem = isFile ? whyNotWritable(path) : null;
    if (problem !== null) {
      throw new StoreError(`cannot open the SQLite store at ${path}: ${problem}`, {
        details: { path },
      });
    }
    try {
      if (isFile) mkdirSync(dirname(path), { recursive: true });
      this.#db = new Database(path);
      // The busy timeout first: switching to WAL itself needs a lock.
      this.#db.pragma(`busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs ?? 5_000))}`);
      this.#db.pragma('journal_mode = WAL');
      // NORMAL is durable across application crashes in WAL mode and much faster than FULL.
      this.#db.pragma('synchronous = NORMAL');
      this.#db.pragma('foreign_keys = ON');
      migrate(this.#db);
      this.#stmt = prepareStatements(this.#db);
    } catch (error) {
      throw new StoreError(`cannot open the SQLite store at ${path}: ${describeError(error)}`, {
        cause: error,
        details: { path },
        isRetryable: isBusy(error),
      });
    }
  }

  /** The schema version of the open file. */
  schemaVersion(): number {
    return this.#db.pragma('user_version', { simple: true }) as number;
  }

  upsertPosts(posts: readonly Post[]): UpsertResult {
    return this.#guard('upsertPosts', () => {
      posts.forEach(checkPost);
      const write = this.#db.transaction(() => {
        const result: UpsertResult = { inserted: 0, updated: 0, snapshots: 0 };
        const accounts = new Set<string>();
        for (const post of posts) {
          const key = `${post.platform}\u0000${post.account}`;
          if (!accounts.has(key)) {
            accounts.add(key);
            this.#stmt.insertAccount.run(post.platform, post.account);
          }

          const existing = this.#stmt.selectPostId.get(post.platform, post.postId) as
            { id: number } | undefined;
          const info = this.#stmt.upsertPost.run(postParams(post));
          if (existing === undefined) result.inserted++;
          else if (info.changes > 0) result.updated++;
          const id = existing?.id ?? Number(info.lastInsertRowid);

          const params = { id, observedAt: post.observedAt, ...countParams(post.counts) };
          result.snapshots += this.#stmt.insertSnapshot.run(params).changes;
        }
        return result;
      });

      return write.immediate();
    });
  }

  recordSnapshots(posts: readonly Post[]): { recorded: number; unknown: number } {
    return this.#guard('recordSnapshots', () => {
      posts.forEach(checkPost);
      const write = this.#db.transaction(() => {
        let recorded = 0;
        let unknown = 0;
        for (const post of posts) {
          const row = this.#stmt.selectPostId.get(post.platform, post.postId) as
            { id: number } | undefined;
          if (row === undefined) {
            unknown++;
            continue;
          }
          const params = { id: row.id, observedAt: post.observedAt, ...countParams(post.counts) };
          recorded += this.#stmt.insertSnapshot.run(params).changes;
          this.#stmt.refreshCounts.run(params);
        }
        return { recorded, unknown };
      });

      return write.immediate();
    });
  }

  countPosts(filter: PostFilter = {}): number {
    return this.#guard('countPosts', () => {
      const { where, params } = postFilterSql(filter, 'p');
      const row = this.#db.prepare(`SELECT count(*) AS n FROM posts p ${where}`).get(...params);

      return (row as { n: number }).n;
    });
  }

  listPosts(filter: PostFilter = {}): StoredPost[] {
    return this.#guard('listPosts', () => {
      const { where, params } = postFilterSql(filter, 'p');
      const read = this.#db.transaction(() => {
        const posts = this.#db
          .prepare(`SELECT p.* FROM posts p ${where} ORDER BY p.created_at, p.id`)
          .all(...params) as PostRow[];
        if (filter.withSnapshots === false) return { posts, snapshots: [] as SnapshotRow[] };
        // Without a filter the unique (post_ref, observed_at) index gives the order for free.
        const sql =
          where === ''
            ? 'SELECT * FROM snapshots ORDER BY post_ref, observed_at'
            : `SELECT s.* FROM snapshots s JOIN posts p ON p.id = s.post_ref ${where}
               ORDER BY s.post_ref, s.observed_at`;
        const snapshots = this.#db.prepare(sql).all(...params) as SnapshotRow[];
        return { posts, snapshots };
      });
      // One read transaction so both queries see the same state.
      const { posts, snapshots } = read.deferred();

      const byPost = new Map<number, StoredPost>();
      const out = posts.map((row) => {
        const post: StoredPost = { ...rowPost(row), snapshots: [] };
        byPost.set(row.id, post);
        return post;
      });
      for (const row of snapshots) byPost.get(row.post_ref)?.snapshots.push(rowSnapshot(row));

      return out;
    });
  }

  listAccounts(): { platform: PlatformName; account: string; posts: number }[] {
    return this.#guard('listAccounts', () =>
      (this.#stmt.listAccounts.all() as { platform: string; account: string; posts: number }[]).map(
        (row) => ({
          platform: row.platform as PlatformName,
          account: row.account,
          posts: row.posts,
        }),
      ),
    );
  }

  getCheckpoint(platform: PlatformName, account: string): Checkpoint | null {
    return this.#guard('getCheckpoint', () => {
      const row = this.#stmt.getCheckpoint.get(platform, account) as CheckpointRow | undefined;

      return row === undefined ? null : rowCheckpoint(row);
    });
  }

  setCheckpoint(checkpoint: Checkpoint): void {
    this.#guard('setCheckpoint', () => {
      this.#stmt.setCheckpoint.run(checkpoint);
    });
  }

  saveScores(scores: readonly PostScore[]): void {
    this.#guard('saveScores', () => {
      const write = this.#db.transaction(() => {
        for (const score of scores) {
          const post = this.#stmt.selectPostId.get(score.platform, score.postId) as
            { id: number } | undefined;
          if (post === undefined) {
            throw new StoreError(
              `cannot save a score for unknown post ${score.platform}:${score.postId}; upsert the post first`,
              { details: { platform: score.platform, postId: score.postId } },
            );
          }
          this.#stmt.saveScore.run({
            runId: score.runId,
            postRef: post.id,
            engagement: score.engagement,
            z: score.zScore,
            ratio: score.ratio,
            isViral: score.isViral ? 1 : 0,
            reason: score.reason,
            arms: score.arms === undefined ? null : JSON.stringify(score.arms),
            basis: score.basis ?? null,
            ageHours: finiteOrNull(score.ageHours),
            predicted: finiteOrNull(score.predicted),
          });
        }
      });
      write.immediate();
    });
  }

  latestScores(runId: string): PostScore[] {
    return this.#guard('latestScores', () =>
      (this.#stmt.latestScores.all(runId) as ScoreRow[]).map(rowScore),
    );
  }

  incrementArms(deltas: readonly ArmState[], decay?: ArmDecay): void {
    this.#guard('incrementArms', () => {
      deltas.forEach(checkDelta);
      checkDecay(decay);
      this.#db.transaction(() => this.#increment(deltas, decay)).immediate();
    });
  }

  loadArms(decay?: ArmDecay): ArmState[] {
    return this.#guard('loadArms', () => {
      checkDecay(decay);
      if (decay === undefined) return this.#stmt.loadArms.all() as ArmState[];

      return this.#stmt.loadArmsDecayed.all(decay) as ArmState[];
    });
  }

  applyOutcomes(
    runId: string,
    countedAt: string,
    options: { halfLifeDays?: number | undefined } = {},
  ): AppliedOutcomes {
    return this.#guard('applyOutcomes', () => {
      const decay =
        options.halfLifeDays === undefined
          ? undefined
          : { halfLifeDays: options.halfLifeDays, at: countedAt };
      checkDecay(decay);
      const write = this.#db.transaction(() => {
        const rows = this.#stmt.uncountedScores.all(runId) as {
          post_ref: number;
          is_viral: number;
          arms: string | null;
          counted: number;
        }[];
        const deltas = new Map<string, ArmState>();
        let posts = 0;
        let alreadyCounted = 0;
        for (const row of rows) {
          if (row.counted === 1) {
            alreadyCounted++;
            continue;
          }
          this.#stmt.markCounted.run(row.post_ref, runId, countedAt);
          posts++;
          for (const arm of row.arms === null ? [] : (JSON.parse(row.arms) as string[])) {
            const delta = deltas.get(arm) ?? { arm, successes: 0, failures: 0 };
            if (row.is_viral === 1) delta.successes++;
            else delta.failures++;
            deltas.set(arm, delta);
          }
        }
        const list = [...deltas.values()].sort((a, b) => a.arm.localeCompare(b.arm));
        this.#increment(list, decay);
        return { posts, alreadyCounted, deltas: list };
      });

      return write.immediate();
    });
  }

  recordDecisions(decisions: readonly Decision[]): void {
    this.#guard('recordDecisions', () => {
      const write = this.#db.transaction(() => {
        for (const decision of decisions) this.#stmt.insertDecision.run(decision);
      });
      write.immediate();
    });
  }

  listDecisions(runId: string): Decision[] {
    return this.#guard('listDecisions', () =>
      (this.#stmt.listDecisions.all(runId) as DecisionRow[]).map(rowDecision),
    );
  }

  startRun(runId: string, startedAt: string, configJson: string): void {
    this.#guard('startRun', () => {
      this.#stmt.startRun.run(runId, startedAt, configJson);
    });
  }

  finishRun(runId: string, status: RunStatus, finishedAt: string, reportJson: string | null): void {
    this.#guard('finishRun', () => {
      const info = this.#stmt.finishRun.run(status, finishedAt, reportJson, runId);
      if (info.changes === 0) {
        throw new StoreError(`cannot finish run ${runId}: it was never started`, {
          details: { runId },
        });
      }
    });
  }

  latestRunId(): string | null {
    return this.#guard('latestRunId', () => {
      const row = this.#stmt.latestRun.get() as { run_id: string } | undefined;

      return row?.run_id ?? null;
    });
  }

  saveTaskRun(record: TaskRunRecord): void {
    this.#guard('saveTaskRun', () => {
      this.#stmt.saveTaskRun.run(record);
    });
  }

  listTaskRuns(runId: string): TaskRunRecord[] {
    return this.#guard('listTaskRuns', () =>
      (this.#stmt.listTaskRuns.all(runId) as TaskRunRow[]).map(rowTaskRun),
    );
  }

  listTaskHistory(query: TaskHistoryQuery): TaskRunRecord[] {
    return this.#guard('listTaskHistory', () => {
      const rows = this.#stmt.listTaskHistory.all({
        excludeRunId: query.excludeRunId ?? '',
        perTask: query.perTask,
        profile: query.profile ?? null,
      }) as TaskRunRow[];

      return rows.map(rowTaskRun);
    });
  }

  latestTaskOutput(task: string): { runId: string; output: string } | null {
    return this.#guard('latestTaskOutput', () => {
      const row = this.#stmt.latestTaskOutput.get(task) as
        { run_id: string; output_json: string } | undefined;

      return row === undefined ? null : { runId: row.run_id, output: row.output_json };
    });
  }

  latestReport(): StoredReport | null {
    return this.recentReports(1)[0] ?? null;
  }

  recentReports(limit: number): StoredReport[] {
    return this.#guard('recentReports', () => {
      const rows = this.#db
        .prepare(
          `SELECT run_id, status, finished_at, report_json FROM runs
           WHERE report_json IS NOT NULL ORDER BY started_at DESC, rowid DESC LIMIT ?`,
        )
        .all(Math.max(0, Math.floor(limit))) as Array<{
        run_id: string;
        status: RunStatus;
        finished_at: string | null;
        report_json: string;
      }>;

      return rows.map((row) => ({
        runId: row.run_id,
        status: row.status,
        finishedAt: row.finished_at,
        reportJson: row.report_json,
      }));
    });
  }

  loadHealth(): HealthRecord[] {
    return this.#guard('loadHealth', () =>
      (this.#db.prepare('SELECT * FROM health_targets ORDER BY target').all() as HealthRow[]).map(
        rowHealth,
      ),
    );
  }

  saveHealth(records: readonly HealthRecord[]): void {
    this.#guard('saveHealth', () => {
      const upsert = this.#db.prepare(
        `INSERT OR REPLACE INTO health_targets
           (target, state, failures, successes, checked_at, changed_at, last_error, breaker_json)
         VALUES (@target, @state, @failures, @successes, @checkedAt, @changedAt, @lastError, @breaker)`,
      );
      const write = this.#db.transaction(() => {
        for (const record of records) upsert.run(record);
      });
      write.immediate();
    });
  }

  ping(): void {
    this.#guard('ping', () => {
      const row = this.#db.prepare('SELECT 1 AS ok').get() as { ok: number } | undefined;
      if (row?.ok !== 1) throw new StoreError(`store ${this.path} answered SELECT 1 with nothing`);
    });
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  #increment(deltas: readonly ArmState[], decay?: ArmDecay): void {
    if (decay !== undefined) {
      for (const delta of deltas) this.#stmt.incrementArmDecayed.run({ ...delta, ...decay });
      return;
    }
    const updatedAt = this.#now().toISOString();
    for (const delta of deltas) {
      this.#stmt.incrementArm.run(delta.arm, delta.successes, delta.failures, updatedAt);
    }
  }

  #guard<T>(operation: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (isFlywheelError(error)) throw error;
      throw new StoreError(`store ${operation} failed on ${this.path}: ${describeError(error)}`, {
        cause: error,
        details: {
          operation,
          path: this.path,
          sqliteCode: String((error as { code?: unknown }).code),
        },
        isRetryable: isBusy(error),
      });
    }
  }
}

/**
 * Opens (creating folders and schema as needed) a SQLite store; `:memory:` gives a private one.
 * @throws StoreError when the file cannot be opened or was written by a newer Flywheel.
 * @example
 * const store = openSqliteStore('.flywheel/flywheel.sqlite');
 * store.upsertPosts(page.posts);
 */
export function openSqliteStore(path: string, options?: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(path, options);
}
