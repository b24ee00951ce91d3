import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isStoreError } from '../errors.ts';
import type { Counts, Post } from '../platforms/types.ts';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.ts';
import { openSqliteStore } from './sqlite.ts';
import type { SqliteStore } from './sqlite.ts';
import type { TaskRunRecord } from './types.ts';

const tempDirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-store-'));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

const NULL_COUNTS: Counts = {
  views: null,
  likes: null,
  replies: null,
  reposts: null,
  quotes: null,
  score: null,
};

function post(id: string, overrides: Partial<Post> = {}): Post {
  return {
    platform: 'bluesky',
    postId: id,
    account: 'alice.bsky.social',
    url: `https://bsky.app/profile/alice/post/${id}`,
    createdAt: '2024-05-01T10:00:00.000Z',
    text: `post ${id}`,
    kind: 'original',
    mediaKind: 'none',
    hashtags: ['a', 'b'],
    counts: { ...NULL_COUNTS, likes: 10, replies: 2, reposts: 1, quotes: 0 },
    observedAt: '2024-05-02T00:00:00.000Z',
    ...overrides,
  };
}

function taskRun(overrides: Partial<TaskRunRecord>): TaskRunRecord {
  return {
    runId: 'r1',
    task: 'engine',
    status: 'succeeded',
    attempts: 1,
    startedAt: '2024-05-02T00:00:00.000Z',
    finishedAt: '2024-05-02T00:00:01.000Z',
    durationMs: 1000,
    peakRssBytes: 50_000_000,
    requests: 3,
    connections: 1,
    bytesIn: 1234,
    error: null,
    output: '{"ok":true}',
    ...overrides,
  };
}

describe('SqliteStore', () => {
  let store: SqliteStore;

  beforeEach(() => {
    store = openSqliteStore(':memory:', { now: () => new Date('2024-05-03T00:00:00.000Z') });
  });

  afterEach(() => store.close());

  describe('upsertPosts', () => {
    it('inserts new posts with one snapshot each', () => {
      expect(store.upsertPosts([post('1'), post('2')])).toEqual({
        inserted: 2,
        updated: 0,
        snapshots: 2,
      });
      expect(store.countPosts()).toBe(2);
    });

    it('adds nothing when the same posts are upserted again', () => {
      store.upsertPosts([post('1'), post('2')]);
      expect(store.upsertPosts([post('1'), post('2')])).toEqual({
        inserted: 0,
        updated: 0,
        snapshots: 0,
      });
      expect(store.countPosts()).toBe(2);
      expect(store.listPosts().map((p) => p.snapshots.length)).toEqual([1, 1]);
    });

    it('updates counts and adds a snapshot for a newer observation', () => {
      store.upsertPosts([post('1')]);
      const later = post('1', {
        counts: { ...NULL_COUNTS, likes: 50 },
        observedAt: '2024-05-03T00:00:00.000Z',
      });
      expect(store.upsertPosts([later])).toEqual({ inserted: 0, updated: 1, snapshots: 1 });

      const [stored] = store.listPosts();
      expect(stored!.counts).toEqual({ ...NULL_COUNTS, likes: 50 });
      expect(stored!.observedAt).toBe('2024-05-03T00:00:00.000Z');
      expect(stored!.snapshots.map((s) => [s.observedAt, s.counts.likes])).toEqual([
        ['2024-05-02T00:00:00.000Z', 10],
        ['2024-05-03T00:00:00.000Z', 50],
      ]);
    });

    it('keeps newer counts when an older observation arrives late', () => {
      store.upsertPosts([post('1', { observedAt: '2024-05-03T00:00:00.000Z' })]);
      const older = post('1', { counts: { ...NULL_COUNTS, likes: 1 } });
      expect(store.upsertPosts([older]).snapshots).toBe(1);

      const [stored] = store.listPosts();
      expect(stored!.counts.likes).toBe(10);
      expect(stored!.snapshots.map((s) => s.counts.likes)).toEqual([1, 10]);
    });

    it('counts a changed text as an update without a new snapshot', () => {
      store.upsertPosts([post('1')]);
      expect(store.upsertPosts([post('1', { text: 'edited' })])).toEqual({
        inserted: 0,
        updated: 1,
        snapshots: 0,
      });
      expect(store.listPosts()[0]!.text).toBe('edited');
    });

    it('keeps null counts null', () => {
      store.upsertPosts([post('1', { counts: NULL_COUNTS })]);
      const [stored] = store.listPosts();
      expect(stored!.counts).toEqual(NULL_COUNTS);
      expect(stored!.snapshots[0]!.counts).toEqual(NULL_COUNTS);
    });

    it('round-trips every post field', () => {
      const original = post('1', {
        url: null,
        kind: 'reply',
        mediaKind: 'video',
        hashtags: [],
        counts: { views: 1e15, likes: 3, replies: null, reposts: 0, quotes: null, score: 7 },
      });
      store.upsertPosts([original]);
      const { snapshots, ...stored } = store.listPosts()[0]!;
      expect(stored).toEqual(original);
      expect(snapshots).toEqual([{ observedAt: original.observedAt, counts: original.counts }]);
    });

    it('rejects a non-finite count, naming the post and field', () => {
      const bad = post('9', { counts: { ...NULL_COUNTS, likes: Number.NaN } });
      expect(() => store.upsertPosts([post('1'), bad])).toThrow(
        'post bluesky:9 has counts.likes=NaN; expected a finite number or null',
      );
      expect(store.countPosts()).toBe(0);
    });
  });

  describe('reading posts', () => {
    beforeEach(() => {
      store.upsertPosts([
        post('1', { createdAt: '2024-05-01T00:00:00.000Z' }),
        post('2', { createdAt: '2024-05-02T00:00:00.000Z' }),
        post('3', { platform: 'reddit', account: 'spez', createdAt: '2024-05-03T00:00:00.000Z' }),
      ]);
    });

    it('filters by platform, account and creation time', () => {
      expect(store.countPosts({ platform: 'bluesky' })).toBe(2);
      expect(store.countPosts({ account: 'spez' })).toBe(1);
      expect(
        store.listPosts({ createdSince: '2024-05-02T00:00:00.000Z' }).map((p) => p.postId),
      ).toEqual(['2', '3']);
    });

    it('leaves snapshots out on request', () => {
      expect(store.listPosts({ withSnapshots: false }).map((p) => p.snapshots)).toEqual([
        [],
        [],
        [],
      ]);
      expect(store.listPosts({ platform: 'reddit' })[0]!.snapshots).toHaveLength(1);
    });

    it('lists accounts with their post counts', () => {
      expect(store.listAccounts()).toEqual([
        { platform: 'bluesky', account: 'alice.bsky.social', posts: 2 },
        { platform: 'reddit', account: 'spez', posts: 1 },
      ]);
    });

    it('records snapshots for known posts and counts unknown ones', () => {
      const fresh = [
        post('1', {
          counts: { ...NULL_COUNTS, likes: 99 },
          observedAt: '2024-05-04T00:00:00.000Z',
        }),
        post('404', { observedAt: '2024-05-04T00:00:00.000Z' }),
      ];
      expect(store.recordSnapshots(fresh)).toEqual({ recorded: 1, unknown: 1 });
      expect(store.recordSnapshots(fresh)).toEqual({ recorded: 0, unknown: 1 });

      const first = store.listPosts({ platform: 'bluesky' })[0]!;
      expect(first.counts.likes).toBe(99);
      expect(first.snapshots).toHaveLength(2);
    });
  });

  describe('checkpoints', () => {
    it('returns null before any checkpoint and the latest one after', () => {
      expect(store.getCheckpoint('reddit', 'spez')).toBeNull();
      store.setCheckpoint({
        platform: 'reddit',
        account: 'spez',
        newestPostId: 't3_a',
        completedAt: null,
      });
      store.setCheckpoint({
        platform: 'reddit',
        account: 'spez',
        newestPostId: 't3_b',
        completedAt: '2024-05-02T00:00:00.000Z',
      });
      expect(store.getCheckpoint('reddit', 'spez')).toEqual({
        platform: 'reddit',
        account: 'spez',
        newestPostId: 't3_b',
        completedAt: '2024-05-02T00:00:00.000Z',
      });
    });
  });

  describe('scores and outcomes', () => {
    beforeEach(() => {
      store.upsertPosts([post('1'), post('2'), post('3')]);
    });

    it('saves and reads scores of a run, replacing a re-saved post', () => {
      const base = { platform: 'bluesky', runId: 'r1', engagement: 10, ratio: 1 } as const;
      store.saveScores([
        { ...base, postId: '1', zScore: 0.5, isViral: false, reason: 'typical', arms: ['a=1'] },
        { ...base, postId: '2', zScore: null, ratio: null, isViral: false, reason: 'no baseline' },
      ]);
      store.saveScores([{ ...base, postId: '1', zScore: 4, isViral: true, reason: 'viral' }]);

      expect(store.latestScores('r1')).toEqual([
        { ...base, postId: '1', zScore: 4, isViral: true, reason: 'viral' },
        { ...base, postId: '2', zScore: null, ratio: null, isViral: false, reason: 'no baseline' },
      ]);
      expect(store.latestScores('other')).toEqual([]);
    });

    it('rejects a score for an unknown post', () => {
      const score = {
        platform: 'bluesky',
        postId: 'nope',
        runId: 'r1',
        engagement: null,
        zScore: null,
        ratio: null,
        isViral: false,
        reason: '',
      } as const;
      expect(() => store.saveScores([score])).toThrow(
        'cannot save a score for unknown post bluesky:nope; upsert the post first',
      );
    });

    it('applies each scored post once across runs', () => {
      const score = (runId: string, postId: string, isViral: boolean, zScore: number | null) => ({
        platform: 'bluesky' as const,
        postId,
        runId,
        engagement: 1,
        zScore,
        ratio: 1,
        isViral,
        reason: '',
        arms: ['hook=question', `length=${postId}`],
      });
      store.saveScores([
        score('r1', '1', true, 5),
        score('r1', '2', false, 0),
        score('r1', '3', false, null),
      ]);

      expect(store.applyOutcomes('r1', '2024-05-03T00:00:00.000Z')).toEqual({
        posts: 2,
        alreadyCounted: 0,
        deltas: [
          { arm: 'hook=question', successes: 1, failures: 1 },
          { arm: 'length=1', successes: 1, failures: 0 },
          { arm: 'length=2', successes: 0, failures: 1 },
        ],
      });
      expect(store.applyOutcomes('r1', '2024-05-03T00:00:00.000Z')).toEqual({
        posts: 0,
        alreadyCounted: 2,
        deltas: [],
      });

      store.saveScores([score('r2', '1', true, 5), score('r2', '3', true, 6)]);
      expect(store.applyOutcomes('r2', '2024-05-04T00:00:00.000Z').posts).toBe(1);
      expect(store.loadArms()).toEqual([
        { arm: 'hook=question', successes: 2, failures: 1 },
        { arm: 'length=1', successes: 1, failures: 0 },
        { arm: 'length=2', successes: 0, failures: 1 },
        { arm: 'length=3', successes: 1, failures: 0 },
      ]);
    });

    it('decays the arms to the counting time when applying with a half-life', () => {
      store.upsertPosts([post('1'), post('2')]);
      const score = (runId: string, postId: string) => ({
        platform: 'bluesky' as const,
        postId,
        runId,
        engagement: 1,
        zScore: 5,
        ratio: 1,
        isViral: true,
        reason: '',
        arms: ['hook=question'],
      });
      store.saveScores([score('r1', '1')]);
      store.applyOutcomes('r1', '2024-05-01T00:00:00.000Z', { halfLifeDays: 2 });
      store.saveScores([score('r2', '2')]);
      store.applyOutcomes('r2', '2024-05-05T00:00:00.000Z', { halfLifeDays: 2 });

      // The first success is two half-lives old when the second is added: 1/4 + 1.
      expect(store.loadArms()).toEqual([{ arm: 'hook=question', successes: 1.25, failures: 0 }]);
    });
  });

  describe('arms and decisions', () => {
    it('adds increments to arms', () => {
      store.incrementArms([{ arm: 'hook=question', successes: 1, failures: 2 }]);
      store.incrementArms([
        { arm: 'hook=question', successes: 3, failures: 0 },
        { arm: 'media=video', successes: 0, failures: 1 },
      ]);
      expect(store.loadArms()).toEqual([
        { arm: 'hook=question', successes: 4, failures: 2 },
        { arm: 'media=video', successes: 0, failures: 1 },
      ]);
    });

    it('rejects a NaN increment without applying any of the batch', () => {
      expect(() =>
        store.incrementArms([
          { arm: 'a=1', successes: 1, failures: 0 },
          { arm: 'a=2', successes: Number.NaN, failures: 0 },
        ]),
      ).toThrow('arm a=2 got successes=NaN, failures=0; expected finite numbers');
      expect(store.loadArms()).toEqual([]);
    });

    it('decays stored counts by the half-life before adding, in one statement', () => {
      const day0 = '2024-05-01T00:00:00.000Z';
      const day7 = '2024-05-08T00:00:00.000Z';
      store.incrementArms([{ arm: 'hook=question', successes: 8, failures: 4 }], {
        halfLifeDays: 7,
        at: day0,
      });
      store.incrementArms([{ arm: 'hook=question', successes: 0, failures: 2 }], {
        halfLifeDays: 7,
        at: day7,
      });

      // One half-life later the 8 and 4 weigh 4 and 2; then 2 failures are added.
      expect(store.loadArms({ halfLifeDays: 7, at: day7 })).toEqual([
        { arm: 'hook=question', successes: 4, failures: 4 },
      ]);
      // Two more half-lives on, a quarter of that remains.
      expect(store.loadArms({ halfLifeDays: 7, at: '2024-05-22T00:00:00.000Z' })).toEqual([
        { arm: 'hook=question', successes: 1, failures: 1 },
      ]);
      expect(store.loadArms()).toEqual([{ arm: 'hook=question', successes: 4, failures: 4 }]);
    });

    it('decays nothing when the update comes from a clock behind the stored time', () => {
      const decay = (at: string) => ({ halfLifeDays: 1, at });
      store.incrementArms(
        [{ arm: 'a=1', successes: 2, failures: 0 }],
        decay('2024-05-02T00:00:00Z'),
      );
      store.incrementArms(
        [{ arm: 'a=1', successes: 1, failures: 0 }],
        decay('2024-05-01T00:00:00Z'),
      );
      expect(store.loadArms(decay('2024-05-02T00:00:00Z'))).toEqual([
        { arm: 'a=1', successes: 3, failures: 0 },
      ]);
      // The later time is kept, so the next update decays from it.
      expect(store.loadArms(decay('2024-05-03T00:00:00Z'))).toEqual([
        { arm: 'a=1', successes: 1.5, failures: 0 },
      ]);
    });

    it('rejects a half-life that is not a positive number of days, changing nothing', () => {
      const bad = { halfLifeDays: 0, at: '2024-05-01T00:00:00Z' };
      expect(() => store.incrementArms([{ arm: 'a=1', successes: 1, failures: 0 }], bad)).toThrow(
        'arm decay got halfLifeDays=0; expected a finite number of days > 0',
      );
      expect(() => store.loadArms({ halfLifeDays: 1, at: 'yesterday' })).toThrow(
        'arm decay got at="yesterday"; expected an ISO time',
      );
      expect(store.loadArms()).toEqual([]);
    });

    it('records decisions once per run, slot and arm and lists them by slot', () => {
      const at = '2024-05-03T00:00:00.000Z';
      store.recordDecisions([
        { runId: 'r1', slot: 1, arm: 'hook=question', propensity: 0.7, decidedAt: at },
        { runId: 'r1', slot: 0, arm: 'media=video', propensity: 0.25, decidedAt: at },
        { runId: 'r2', slot: 0, arm: 'media=none', propensity: 1, decidedAt: at },
      ]);
      store.recordDecisions([
        { runId: 'r1', slot: 0, arm: 'media=video', propensity: 0.25, decidedAt: at },
      ]);
      expect(store.listDecisions('r1').map((d) => [d.slot, d.arm, d.propensity])).toEqual([
        [0, 'media=video', 0.25],
        [1, 'hook=question', 0.7],
      ]);
    });
  });

  describe('runs and task runs', () => {
    it('tracks runs and the latest one', () => {
      expect(store.latestRunId()).toBeNull();
      store.startRun('r1', '2024-05-01T00:00:00.000Z', '{}');
      store.startRun('r2', '2024-05-02T00:00:00.000Z', '{}');
      store.finishRun('r2', 'partial', '2024-05-02T00:01:00.000Z', '{"missing":1}');
      expect(store.latestRunId()).toBe('r2');
      expect(() => store.finishRun('r9', 'failed', '2024-05-02T00:00:00.000Z', null)).toThrow(
        'cannot finish run r9: it was never started',
      );
    });

    it('upserts a task run per run and task', () => {
      store.saveTaskRun(taskRun({ status: 'running', finishedAt: null, output: null }));
      store.saveTaskRun(taskRun({ attempts: 2 }));
      store.saveTaskRun(taskRun({ task: 'thompson', startedAt: '2024-05-02T00:00:02.000Z' }));
      expect(store.listTaskRuns('r1')).toEqual([
        taskRun({ attempts: 2 }),
        taskRun({ task: 'thompson', startedAt: '2024-05-02T00:00:02.000Z' }),
      ]);
    });

    it('gives the latest successful output of a task across runs', () => {
      expect(store.latestTaskOutput('engine')).toBeNull();
      store.saveTaskRun(taskRun({ runId: 'r1', output: '"one"' }));
      store.saveTaskRun(
        taskRun({ runId: 'r2', output: '"two"', finishedAt: '2024-05-03T00:00:00.000Z' }),
      );
      store.saveTaskRun(
        taskRun({
          runId: 'r3',
          status: 'failed',
          output: '"three"',
          finishedAt: '2024-05-04T00:00:00.000Z',
        }),
      );
      expect(store.latestTaskOutput('engine')).toEqual({ runId: 'r2', output: '"two"' });
    });

    it('lists the newest successful runs of each task for history, without outputs', () => {
      const at = (day: number): string => `2024-05-0${day}T00:00:00.000Z`;
      for (const day of [1, 2, 3, 4]) {
        store.startRun(
          `r${day}`,
          at(day),
          JSON.stringify({ profile: day === 2 ? 'naive' : 'optimized' }),
        );
        store.saveTaskRun(taskRun({ runId: `r${day}`, startedAt: at(day), durationMs: day * 100 }));
        store.saveTaskRun(taskRun({ runId: `r${day}`, task: 'scrape', startedAt: at(day) }));
      }
      store.saveTaskRun(
        taskRun({ runId: 'r3', task: 'health', status: 'failed', startedAt: at(3) }),
      );

      const history = store.listTaskHistory({ excludeRunId: 'r4', perTask: 2 });
      expect(history.map((run) => [run.task, run.runId, run.durationMs, run.output])).toEqual([
        ['engine', 'r3', 300, null],
        ['engine', 'r2', 200, null],
        ['scrape', 'r3', 1000, null],
        ['scrape', 'r2', 1000, null],
      ]);
      expect(
        store
          .listTaskHistory({ excludeRunId: 'r4', perTask: 5, profile: 'optimized' })
          .map((run) => `${run.task} ${run.runId}`),
      ).toEqual(['engine r3', 'engine r1', 'scrape r3', 'scrape r1']);
    });
  });
});

describe('SqliteStore on disk', () => {
  it('creates parent folders, uses WAL and migrates to the current schema', () => {
    const path = join(tempDir(), 'a', 'b', 'flywheel.sqlite');
    const store = openSqliteStore(path);
    store.upsertPosts([post('1')]);
    expect(store.schemaVersion()).toBe(SCHEMA_VERSION);
    store.close();

    const raw = new Database(path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();

    const reopened = openSqliteStore(path);
    expect(reopened.countPosts()).toBe(1);
    reopened.close();
  });

  it('migrates a version 1 file to keep how scores were judged, keeping its old scores', () => {
    const path = join(tempDir(), 'v1.sqlite');
    const raw = new Database(path);
    raw.exec(MIGRATIONS[0]!);
    raw.pragma('user_version = 1');
    raw.exec(`INSERT INTO posts (platform, post_id, account, created_at, text, kind, media_kind,
        hashtags, first_seen_at, last_seen_at, observed_at)
      VALUES ('bluesky', '1', 'alice', '2024-05-01T00:00:00.000Z', '', 'original', 'none', '[]',
        '2024-05-02T00:00:00.000Z', '2024-05-02T00:00:00.000Z', '2024-05-02T00:00:00.000Z')`);
    raw.exec(`INSERT INTO scores (run_id, post_ref, engagement, z, ratio, is_viral, reason)
      VALUES ('old', 1, 5, 0.5, 1.1, 0, 'not viral')`);
    raw.close();

    const store = openSqliteStore(path);
    expect(store.schemaVersion()).toBe(SCHEMA_VERSION);
    expect(store.latestScores('old')).toEqual([
      {
        platform: 'bluesky',
        postId: '1',
        runId: 'old',
        engagement: 5,
        zScore: 0.5,
        ratio: 1.1,
        isViral: false,
        reason: 'not viral',
      },
    ]);
    const judged = { platform: 'bluesky' as const, postId: '1', runId: 'new', isViral: true };
    store.saveScores([
      {
        ...judged,
        engagement: 50,
        zScore: 4,
        ratio: 9,
        reason: 'viral',
        basis: 'equal-age',
        ageHours: 6.5,
        predicted: 140.5,
      },
    ]);
    expect(store.latestScores('new')[0]).toMatchObject({
      basis: 'equal-age',
      ageHours: 6.5,
      predicted: 140.5,
    });
    store.close();
  });

  it('refuses a file from a newer schema with a StoreError', () => {
    const path = join(tempDir(), 'future.sqlite');
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();

    let caught: unknown;
    try {
      openSqliteStore(path);
    } catch (error) {
      caught = error;
    }
    expect(isStoreError(caught)).toBe(true);
    expect((caught as Error).message).toContain('is newer than this Flywheel');
  });
});
