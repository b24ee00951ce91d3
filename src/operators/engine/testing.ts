/**
 * Builders of task contexts and posts for operator tests.
 * @internal
 */
import { createNoCache } from '../../cache/no-cache.ts';
import { configSchema } from '../../config/schema.ts';
import type { AppConfigInput } from '../../config/schema.ts';
import { emptyHttpStats } from '../../http/stats.ts';
import type { HttpClient } from '../../http/types.ts';
import { silentLogger } from '../../observe/logger.ts';
import type { Logger } from '../../observe/logger.ts';
import type { Cache, TaskContext, TaskName } from '../../pipeline/types.ts';
import type { Counts, PlatformName, Post } from '../../platforms/types.ts';
import { openSqliteStore } from '../../store/sqlite.ts';
import type { Snapshot } from '../../store/types.ts';

/** Counts with every field null. */
export const NULL_COUNTS: Counts = {
  views: null,
  likes: null,
  replies: null,
  reposts: null,
  quotes: null,
  score: null,
};

const unusedHttp: HttpClient = {
  request: () => Promise.reject(new Error('the test context has no HTTP client')),
  stats: emptyHttpStats,
  close: () => Promise.resolve(),
};

/**
 * A task context over an in-memory store, with a fixed clock, an HTTP client that refuses every
 * request and a cache that stores nothing, unless overridden.
 */
export function createTestContext(
  task: TaskName,
  overrides: {
    config?: AppConfigInput;
    runId?: string;
    now?: Date;
    inputs?: TaskContext['inputs'];
    downPlatforms?: PlatformName[];
    store?: TaskContext['store'];
    logger?: Logger;
    http?: HttpClient;
    cache?: Cache;
  } = {},
): TaskContext {
  const now = overrides.now ?? new Date('2024-06-01T12:00:00.000Z');

  return {
    runId: overrides.runId ?? 'run-1',
    task,
    attempt: 1,
    config: configSchema.parse(overrides.config ?? {}),
    logger: overrides.logger ?? silentLogger,
    store: overrides.store ?? openSqliteStore(':memory:'),
    http: overrides.http ?? unusedHttp,
    cache: overrides.cache ?? createNoCache(),
    signal: new AbortController().signal,
    now: () => now,
    inputs: overrides.inputs ?? {},
    downPlatforms: new Set(overrides.downPlatforms ?? []),
    progress: () => {},
  };
}

/** A post of `account` with `likes` likes and no other count. */
export function makePost(
  account: string,
  id: string,
  likes: number | null,
  overrides: Partial<Post> = {},
): Post {
  return {
    platform: 'bluesky',
    postId: id,
    account,
    url: `https://example.com/${account}/${id}`,
    createdAt: '2024-05-01T10:00:00.000Z',
    text: 'Just a plain update.',
    kind: 'original',
    mediaKind: 'none',
    hashtags: [],
    counts: { ...NULL_COUNTS, likes },
    observedAt: '2024-05-02T00:00:00.000Z',
    ...overrides,
  };
}

const HOUR_MS = 3_600_000;

/**
 * A post with a snapshot history: `likes` read at each age (hours after `createdAt`). Its
 * latest counts are the last entry's.
 */
export function makeHistory(
  account: string,
  id: string,
  readings: readonly (readonly [hours: number, likes: number | null])[],
  overrides: Partial<Post> = {},
): Post & { snapshots: Snapshot[] } {
  const createdAt = overrides.createdAt ?? '2024-05-01T00:00:00.000Z';
  const at = (hours: number) => new Date(Date.parse(createdAt) + hours * HOUR_MS).toISOString();
  const snapshots = readings.map(([hours, likes]) => ({
    observedAt: at(hours),
    counts: { ...NULL_COUNTS, likes },
  }));
  const last = snapshots.at(-1);

  return {
    ...makePost(account, id, last?.counts.likes ?? null, { ...overrides, createdAt }),
    observedAt: last?.observedAt ?? createdAt,
    snapshots,
  };
}
