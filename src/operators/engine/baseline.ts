/**
 * Account baselines and robust scores.
 *
 * Each account's baseline is the median and MAD of log1p(engagement) over all its posts that
 * have engagement, the scored post included: with a median and a MAD one outlier barely moves
 * the baseline, and including it keeps the whole pass O(n) instead of one baseline per post.
 * Logs tame the heavy tail, so the MAD measures a typical relative spread.
 *
 *   z     = (log1p(e) - median) / scale,  scale = 1.4826 * MAD (normal-consistent)
 *   ratio = e / max(expm1(median), 1)     (the floor keeps a zero median from dividing by 0)
 *   viral = z >= zThreshold and ratio >= ratioThreshold
 *
 * When an account has enough mature posts (observed at least `matureAgeMs` after creation,
 * 48 hours by default in the operator), only those form the baseline.
 *
 * Like is compared with like: an account's originals and its replies get separate baselines
 * (replies draw a fraction of an original's engagement, and mixing them widens the spread until
 * real outliers no longer stand out), and reposts are not scored at all, since their counts
 * measure another account's post.
 *
 * When the MAD is 0 (half the posts or more share the median), the scale falls back to
 * 1.2533 * the mean absolute deviation from the median (sqrt(pi/2), its normal-consistency
 * factor); when every value is equal that is 0 too, and the scale becomes 0.1 in log space
 * (about 10% engagement). So z is always finite; the ratio condition then keeps a post that is
 * only slightly above an all-equal account from being called viral.
 */
import type { PlatformName, Post } from '../../platforms/types.ts';
import { MAD_NORMAL_SCALE, mad, median } from '../../stats/index.ts';
import { engagementOf } from './engagement.ts';

/** sqrt(pi / 2): the mean absolute deviation times this estimates a normal standard deviation. */
const MEAN_AD_NORMAL_SCALE = 1.2533;
/** Scale used when every post of an account has the same engagement, in log1p units. */
const MIN_SCALE = 0.1;

/** The thresholds a score is judged against. */
export interface ScoringOptions {
  zThreshold: number;
  ratioThreshold: number;
  minHistory: number;
  /**
   * Posts whose counts were observed at least this long after they were created are mature;
   * when an account has `minHistory` of them, its baseline uses only those. Default 0 (every
   * post counts).
   */
  matureAgeMs?: number;
}

/** The baseline of one account, in log1p(engagement) units except `medianEngagement`. */
export interface Baseline {
  /** Median of log1p(engagement). */
  center: number;
  /** Raw MAD of log1p(engagement), before any scaling. */
  mad: number;
  /** The divisor of the z-score (see the module comment for the fallbacks). */
  scale: number;
  /** expm1(center): the account's median engagement. */
  medianEngagement: number;
}

/** One account's figures, for the report. */
export interface AccountSummary {
  platform: PlatformName;
  account: string;
  /** Which of the account's posts this baseline covers. */
  kind: BaselineKind;
  /** Posts with engagement. */
  posts: number;
  /** Median engagement, or null without a baseline. */
  median: number | null;
  /** Raw MAD of log1p(engagement), or null without a baseline. */
  mad: number | null;
  /** Which posts the baseline was built from: the mature ones, or all (too few mature yet). */
  basis: 'mature' | 'all';
}

/** Posts with their own baseline: originals, and replies. */
export type BaselineKind = 'original' | 'reply';

/** The verdict on one post. */
export interface PostVerdict {
  post: Post;
  engagement: number | null;
  zScore: number | null;
  ratio: number | null;
  isViral: boolean;
  reason: string;
  /** Whether the post was judged against a baseline (it then counts as a bandit outcome). */
  isScored: boolean;
}

/** Builds a baseline from log1p(engagement) values, or null below `minHistory` values. */
export function computeBaseline(logs: Float64Array, minHistory: number): Baseline | null {
  if (logs.length === 0 || logs.length < minHistory) return null;
  const center = median(logs);
  const rawMad = mad(logs, center);
  let scale = MAD_NORMAL_SCALE * rawMad;
  if (scale === 0) {
    let sum = 0;
    for (const value of logs) sum += Math.abs(value - center);
    scale = (MEAN_AD_NORMAL_SCALE * sum) / logs.length;
  }
  if (!(scale > 0)) scale = MIN_SCALE;

  return { center, mad: rawMad, scale, medianEngagement: Math.expm1(center) };
}

/** Formats a figure for a reason: integers from 10 up, one decimal below, exponent past 1e6. */
export function formatFigure(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6) return value.toPrecision(3);
  if (magnitude >= 10) return String(Math.round(value));

  return value.toFixed(1);
}

/** Formats a ratio for a reason: one decimal below 1000, integers up to 1e6, exponent past it. */
export function formatRatio(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6) return value.toPrecision(3);

  return magnitude >= 1000 ? String(Math.round(value)) : value.toFixed(1);
}

/** Judges one engagement value against a baseline. */
export function judge(
  engagement: number,
  baseline: Baseline,
  options: ScoringOptions,
): Pick<PostVerdict, 'zScore' | 'ratio' | 'isViral' | 'reason'> {
  const zScore = (Math.log1p(engagement) - baseline.center) / baseline.scale;
  const ratio = engagement / Math.max(baseline.medianEngagement, 1);
  const isZHigh = zScore >= options.zThreshold;
  const isRatioHigh = ratio >= options.ratioThreshold;
  const isViral = isZHigh && isRatioHigh;

  const z = `z=${zScore.toFixed(1)} ${isZHigh ? '≥' : '<'} ${options.zThreshold}`;
  const times = `${formatRatio(ratio)}×`;
  const against = `the account median (${formatFigure(baseline.medianEngagement)})`;
  const reason = isViral
    ? `${z} and ${times} ${against}`
    : `not viral: ${z}, ${times} ${against} ${isRatioHigh ? '≥' : '<'} ${options.ratioThreshold}×`;

  return { zScore, ratio, isViral, reason };
}

/**
 * Scores every post against its own account's baseline. Posts are grouped per account into
 * typed arrays, so 100k posts take one pass plus a linear-time selection per account.
 */
export function scorePosts(
  posts: readonly Post[],
  options: ScoringOptions,
): { verdicts: PostVerdict[]; accounts: AccountSummary[] } {
  const groups = new Map<string, number[]>();
  const engagements = new Float64Array(posts.length);
  const verdicts = new Array<PostVerdict>(posts.length);
  posts.forEach((post, index) => {
    engagements[index] = engagementOf(post.counts) ?? Number.NaN;
    if (post.kind === 'repost') {
      verdicts[index] = unscored(post, "not scored: a repost measures another account's post");
      return;
    }
    const key = `${post.platform}\u0000${post.account}\u0000${post.kind}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [index]);
    else group.push(index);
  });

  const accounts: AccountSummary[] = [];
  for (const indices of groups.values()) {
    const first = posts[indices[0] as number] as Post;
    const logs = new Float64Array(indices.length);
    const matureLogs = new Float64Array(indices.length);
    let count = 0;
    let matureCount = 0;
    for (const index of indices) {
      const value = engagements[index] as number;
      if (Number.isNaN(value)) continue;
      logs[count++] = Math.log1p(value);
      if (isMature(posts[index] as Post, options.matureAgeMs ?? 0)) {
        matureLogs[matureCount++] = Math.log1p(value);
      }
    }

    // Posts still gathering engagement sit low and widen the spread; a baseline of mature
    // posts keeps real outliers standing out. Young posts are judged against it too, which
    // is conservative: they can only look smaller than they will be.
    const isMatureBasis = (options.matureAgeMs ?? 0) > 0 && matureCount >= options.minHistory;
    const baseline = computeBaseline(
      isMatureBasis ? matureLogs.subarray(0, matureCount) : logs.subarray(0, count),
      options.minHistory,
    );
    accounts.push({
      platform: first.platform,
      account: first.account,
      kind: first.kind === 'reply' ? 'reply' : 'original',
      posts: count,
      median: baseline?.medianEngagement ?? null,
      mad: baseline?.mad ?? null,
      basis: isMatureBasis ? 'mature' : 'all',
    });
    for (const index of indices) {
      verdicts[index] = verdictFor(posts[index] as Post, engagements[index] as number, baseline, {
        ...options,
        history: count,
      });
    }
  }

  return { verdicts, accounts };
}

/** Whether the post's counts were observed at least `matureAgeMs` after it was created. */
function isMature(post: Post, matureAgeMs: number): boolean {
  if (matureAgeMs <= 0) return true;
  return Date.parse(post.observedAt) - Date.parse(post.createdAt) >= matureAgeMs;
}

function unscored(post: Post, reason: string): PostVerdict {
  return {
    post,
    engagement: null,
    zScore: null,
    ratio: null,
    isViral: false,
    reason,
    isScored: false,
  };
}

function verdictFor(
  post: Post,
  value: number,
  baseline: Baseline | null,
  options: ScoringOptions & { history: number },
): PostVerdict {
  if (Number.isNaN(value)) {
    const reason = 'not scored: no engagement counts';
    return {
      post,
      engagement: null,
      zScore: null,
      ratio: null,
      isViral: false,
      reason,
      isScored: false,
    };
  }
  if (baseline === null) {
    const reason = `no baseline yet: ${options.history} of ${options.minHistory} posts with engagement`;
    return {
      post,
      engagement: value,
      zScore: null,
      ratio: null,
      isViral: false,
      reason,
      isScored: false,
    };
  }

  return { post, engagement: value, ...judge(value, baseline, options), isScored: true };
}
