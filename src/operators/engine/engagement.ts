/**
 * Engagement of one post from its counts.
 *
 * engagement = (likes ?? score) + 2 * reposts + replies + quotes
 *
 * - Reposts weigh double: they carry the post to a new audience, likes and replies do not.
 * - `score` (Reddit score, Hacker News points) stands in for likes only where likes are null:
 *   Reddit reports both `ups` (likes) and a score close to it, so adding both would count the
 *   same votes twice.
 * - The votes (likes, else score) must be known: they are the bulk of every platform's
 *   engagement, so a post whose likes are hidden (YouTube lets uploaders hide them), summed from
 *   replies alone, would sit far below its account's other posts and widen the baseline until
 *   real outliers no longer stand out. Such a post gets null and is not scored.
 * - Another null count (reposts, replies, quotes) is skipped, never read as 0.
 * - Views are not used, even as a fallback: a post scored on views among posts scored on likes
 *   would look like a huge outlier in its account's baseline.
 */
import type { Counts } from '../../platforms/types.ts';

/** The engagement of a post per the formula above, or null when no count is known. */
export function engagementOf(counts: Counts): number | null {
  const votes = counts.likes ?? counts.score;
  if (votes === null) return null;
  const parts = [
    votes,
    counts.reposts === null ? null : 2 * counts.reposts,
    counts.replies,
    counts.quotes,
  ];
  let total = 0;
  let isKnown = false;
  for (const part of parts) {
    if (part === null) continue;
    total += part;
    isKnown = true;
  }
  // Finite counts can still overflow when summed; no score is better than an infinite one.
  if (!isKnown || !Number.isFinite(total)) return null;

  // A negative Reddit score is possible; engagement below zero has no meaning for log1p.
  return Math.max(0, total);
}
