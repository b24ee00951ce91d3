/**
 * Baselines and robust scores: the math behind every verdict.
 *
 * A baseline is the median and MAD of log1p(engagement) over a set of an account's posts (which
 * set is `scoring.ts`'s business). Logs tame the heavy tail, so the MAD measures a typical
 * relative spread, and one outlier barely moves either figure.
 *
 *   z     = (log1p(e) - median) / scale,  scale = 1.4826 * MAD (normal-consistent)
 *   ratio = e / max(expm1(median), 1)     (the floor keeps a zero median from dividing by 0)
 *   viral = z >= zThreshold and ratio >= ratioThreshold
 *
 * When the MAD is 0 (half the posts or more share the median), the scale falls back to
 * 1.2533 * the mean absolute deviation from the median (sqrt(pi/2), its normal-consistency
 * factor); when every value is equal that is 0 too, and the scale becomes 0.1 in log space
 * (about 10% engagement). So z is always finite; the ratio condition then keeps a post that is
 * only slightly above an all-equal account from being called viral.
 */
import { MAD_NORMAL_SCALE, mad, median } from '../../stats/index.ts';

/** sqrt(pi / 2): the mean absolute deviation times this estimates a normal standard deviation. */
const MEAN_AD_NORMAL_SCALE = 1.2533;
/** Scale used when every post of an account has the same engagement, in log1p units. */
const MIN_SCALE = 0.1;

/** The thresholds a score is judged against. */
export interface Thresholds {
  /** Robust z-score a viral post must reach. */
  zThreshold: number;
  /** Multiple of the baseline median a viral post must reach (both must hold). */
  ratioThreshold: number;
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

/** Formats an age for a reason: minutes below an hour, hours below two days, then days. */
export function formatAge(ageMs: number): string {
  const hours = ageMs / 3_600_000;
  if (hours < 1) return `${Math.round(hours * 60)}m`;
  if (hours < 48) return hours < 10 ? `${hours.toFixed(1)}h` : `${Math.round(hours)}h`;

  return `${(hours / 24).toFixed(1)}d`;
}

/** What a verdict says about the baseline it used, beyond its median. */
export interface JudgeContext {
  /** The age the baseline was read at (equal-age comparison), shown as "at 6.0h". */
  atAgeMs?: number;
  /** Posts in the baseline, shown beside the median. */
  posts?: number;
}

/** The z-score, ratio and label of one engagement value against a baseline, with its reason. */
export interface Judgement {
  zScore: number;
  ratio: number;
  isViral: boolean;
  /** e.g. `z=7.2 ≥ 3.5 and 56.3× the account median (13)`. */
  reason: string;
}

/** Judges one engagement value against a baseline. */
export function judge(
  engagement: number,
  baseline: Baseline,
  thresholds: Thresholds,
  context: JudgeContext = {},
): Judgement {
  const zScore = (Math.log1p(engagement) - baseline.center) / baseline.scale;
  const ratio = engagement / Math.max(baseline.medianEngagement, 1);
  const isZHigh = zScore >= thresholds.zThreshold;
  const isRatioHigh = ratio >= thresholds.ratioThreshold;
  const isViral = isZHigh && isRatioHigh;

  const z = `z=${zScore.toFixed(1)} ${isZHigh ? '≥' : '<'} ${thresholds.zThreshold}`;
  const times = `${formatRatio(ratio)}×`;
  const at = context.atAgeMs === undefined ? '' : ` at ${formatAge(context.atAgeMs)}`;
  const posts = context.posts === undefined ? '' : `, ${context.posts} posts`;
  const against = `the account median${at} (${formatFigure(baseline.medianEngagement)}${posts})`;
  const reason = isViral
    ? `${z} and ${times} ${against}`
    : `not viral: ${z}, ${times} ${against} ${isRatioHigh ? '≥' : '<'} ${thresholds.ratioThreshold}×`;

  return { zScore, ratio, isViral, reason };
}
