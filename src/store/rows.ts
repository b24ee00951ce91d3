/**
 * Row shapes and their mapping to the contract's types. Kept apart from the statements so
 * `sqlite.ts` reads as the store's behaviour.
 * @internal
 */
import type { Counts, MediaKind, PlatformName, Post, PostKind } from '../platforms/types.ts';
import type {
  Checkpoint,
  Decision,
  PostScore,
  Snapshot,
  TaskRunRecord,
  TaskStatus,
} from './types.ts';

/** Count columns in the order posts and snapshots store them. */
export const COUNT_KEYS = ['views', 'likes', 'replies', 'reposts', 'quotes', 'score'] as const;

export interface CountRow {
  views: number | null;
  likes: number | null;
  replies: number | null;
  reposts: number | null;
  quotes: number | null;
  score: number | null;
}

export interface PostRow extends CountRow {
  id: number;
  platform: string;
  post_id: string;
  account: string;
  url: string | null;
  created_at: string;
  text: string;
  kind: string;
  media_kind: string;
  hashtags: string;
  observed_at: string;
}

export interface SnapshotRow extends CountRow {
  post_ref: number;
  observed_at: string;
}

export interface ScoreRow {
  platform: string;
  post_id: string;
  run_id: string;
  engagement: number | null;
  z: number | null;
  ratio: number | null;
  is_viral: number;
  reason: string;
  arms: string | null;
  basis: string | null;
  age_hours: number | null;
  predicted: number | null;
}

export interface TaskRunRow {
  run_id: string;
  task: string;
  status: string;
  attempts: number;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  peak_rss_bytes: number | null;
  requests: number;
  connections: number;
  bytes_in: number;
  error: string | null;
  output_json: string | null;
}

export interface DecisionRow {
  run_id: string;
  slot: number;
  arm: string;
  propensity: number;
  decided_at: string;
}

export interface CheckpointRow {
  platform: string;
  account: string;
  newest_post_id: string | null;
  completed_at: string | null;
}

/** Named parameters of one post, for the upsert statement. */
export function postParams(post: Post): Record<string, string | number | null> {
  return {
    platform: post.platform,
    postId: post.postId,
    account: post.account,
    url: post.url,
    createdAt: post.createdAt,
    text: post.text,
    kind: post.kind,
    mediaKind: post.mediaKind,
    hashtags: JSON.stringify(post.hashtags),
    observedAt: post.observedAt,
    ...countParams(post.counts),
  };
}

/** Named count parameters; `null` stays `null`. */
export function countParams(counts: Counts): CountRow {
  return {
    views: counts.views,
    likes: counts.likes,
    replies: counts.replies,
    reposts: counts.reposts,
    quotes: counts.quotes,
    score: counts.score,
  };
}

export function rowCounts(row: CountRow): Counts {
  return {
    views: row.views,
    likes: row.likes,
    replies: row.replies,
    reposts: row.reposts,
    quotes: row.quotes,
    score: row.score,
  };
}

export function rowPost(row: PostRow): Post {
  return {
    platform: row.platform as PlatformName,
    postId: row.post_id,
    account: row.account,
    url: row.url,
    createdAt: row.created_at,
    text: row.text,
    kind: row.kind as PostKind,
    mediaKind: row.media_kind as MediaKind,
    // Most posts have no hashtags; skipping JSON.parse for them matters at 100k rows.
    hashtags: row.hashtags === '[]' ? [] : (JSON.parse(row.hashtags) as string[]),
    counts: rowCounts(row),
    observedAt: row.observed_at,
  };
}

export function rowSnapshot(row: SnapshotRow): Snapshot {
  return { observedAt: row.observed_at, counts: rowCounts(row) };
}

export function rowScore(row: ScoreRow): PostScore {
  const score: PostScore = {
    platform: row.platform as PlatformName,
    postId: row.post_id,
    runId: row.run_id,
    engagement: row.engagement,
    zScore: row.z,
    ratio: row.ratio,
    isViral: row.is_viral === 1,
    reason: row.reason,
  };
  if (row.arms !== null) score.arms = JSON.parse(row.arms) as string[];
  if (row.basis !== null) score.basis = row.basis;
  if (row.age_hours !== null) score.ageHours = row.age_hours;
  if (row.predicted !== null) score.predicted = row.predicted;

  return score;
}

export function rowTaskRun(row: TaskRunRow): TaskRunRecord {
  return {
    runId: row.run_id,
    task: row.task,
    status: row.status as TaskStatus,
    attempts: row.attempts,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    peakRssBytes: row.peak_rss_bytes,
    requests: row.requests,
    connections: row.connections,
    bytesIn: row.bytes_in,
    error: row.error,
    output: row.output_json,
  };
}

export function rowDecision(row: DecisionRow): Decision {
  return {
    runId: row.run_id,
    slot: row.slot,
    arm: row.arm,
    propensity: row.propensity,
    decidedAt: row.decided_at,
  };
}

export function rowCheckpoint(row: CheckpointRow): Checkpoint {
  return {
    platform: row.platform as PlatformName,
    account: row.account,
    newestPostId: row.newest_post_id,
    completedAt: row.completed_at,
  };
}
