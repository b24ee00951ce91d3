/**
 * Early prediction: where a young post's engagement will land at the mature age T.
 *
 *   log1p N(T) = log1p N(t) + b(t)
 *
 * One growth term b per age on a fixed grid (1 h to 40 h) and per platform, fitted from the
 * stored snapshots: every post seen at about t and at about T (`history.ts` reads both,
 * interpolating between snapshots) gives one pair, and b(t) is the median of
 * log1p N(T) - log1p N(t) over the pairs. The median is the least-absolute-deviations fit of
 * this one-parameter model, so a few posts that took off late do not drag it. Between grid ages
 * b is interpolated in log(age), with b(T) = 0.
 *
 * A fixed fifth of the posts (by a hash of platform and id, so the split is stable from run to
 * run) is held out of the fit; the model's error on their pairs is reported beside the error of
 * predicting no growth at all (b = 0), so a reader sees what the model adds.
 */
import type { PlatformName } from '../../platforms/types.ts';
import { median } from '../../stats/index.ts';
import { seriesOf, readAtAge } from './history.ts';
import type { ScoredPost } from './scoring.ts';

/** Ages the growth term is fitted at, hours; those at or past the target age are skipped. */
export const PREDICTION_AGES_HOURS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 40] as const;

const HOUR_MS = 3_600_000;
/** One post in this many is held out of the fit to measure its error. */
const HOLDOUT_EVERY = 5;

/** How the prediction model is fitted. */
export interface PredictionOptions {
  /** The age predicted for, ms: the engine's mature age. */
  targetMs: number;
  /** Snapshots within this factor of an age count as "at about" it. */
  ageTolerance: number;
  /** Training pairs an age needs before its growth term is used. */
  minPairs: number;
}

/** The growth term at one age. */
export interface GrowthStep {
  ageHours: number;
  /** b(t): log1p N(T) - log1p N(t), the median over the training pairs. */
  b: number;
  /** Training pairs it was fitted from. */
  pairs: number;
}

/** The model's error on the held-out pairs, in log1p(engagement) units unless named. */
export interface HeldOutError {
  pairs: number;
  /** Mean absolute error of the predicted log1p N(T); null without pairs. */
  maeLog: number | null;
  /** The same for predicting no growth (b = 0), the yardstick. */
  persistenceMaeLog: number | null;
  /** Median of |predicted - actual| / max(actual, 1), in engagement units. */
  medianRelativeError: number | null;
}

/** The fitted model of one platform. */
export interface PlatformModel {
  platform: PlatformName;
  targetHours: number;
  /** Posts seen at about the target age. */
  posts: number;
  /** Training pairs over every age, fitted or not. */
  trainPairs: number;
  /** Fitted ages only, ascending. */
  steps: GrowthStep[];
  heldOut: HeldOutError;
}

interface Pair {
  step: number;
  now: number;
  target: number;
}

/** Whether a post is in the held-out fifth: FNV-1a of `platform:id`, stable across runs. */
export function isHeldOut(platform: string, postId: string): boolean {
  let hash = 0x811c9dc5;
  for (const char of `${platform}:${postId}`) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }

  return hash % HOLDOUT_EVERY === 0;
}

/**
 * The snapshot pairs of one post: (log1p N(t), log1p N(T)) for each grid age it was seen at.
 * The snapshots read for T must come at least half the gap T - t after those read for t:
 * within the tolerance one reading (or two taken a moment apart, by a scrape and the refresh
 * after it) could otherwise serve as both, and report no growth where none was observed.
 */
function pairsOf(post: ScoredPost, ages: readonly number[], options: PredictionOptions): Pair[] {
  const series = seriesOf(post);
  const target = readAtAge(series, options.targetMs, options.ageTolerance);
  if (target === null) return [];
  const targetSeenMs = series.ages[target.from] as number;

  const pairs: Pair[] = [];
  ages.forEach((ageHours, step) => {
    const ageMs = ageHours * HOUR_MS;
    const now = readAtAge(series, ageMs, options.ageTolerance);
    if (now === null) return;
    const gapMs = targetSeenMs - (series.ages[now.to] as number);
    if (gapMs >= (options.targetMs - ageMs) / 2) {
      pairs.push({ step, now: now.value, target: target.value });
    }
  });

  return pairs;
}

/** Fits one model per platform from the posts' snapshots and measures it on held-out posts. */
export function fitPredictionModels(
  posts: readonly ScoredPost[],
  options: PredictionOptions,
): PlatformModel[] {
  const ages = PREDICTION_AGES_HOURS.filter((hours) => hours * HOUR_MS < options.targetMs);
  const byPlatform = new Map<PlatformName, { posts: number; train: Pair[]; test: Pair[] }>();
  for (const post of posts) {
    if (post.kind === 'repost') continue;
    const pairs = pairsOf(post, ages, options);
    if (pairs.length === 0) continue;
    const entry = byPlatform.get(post.platform) ?? { posts: 0, train: [], test: [] };
    entry.posts++;
    (isHeldOut(post.platform, post.postId) ? entry.test : entry.train).push(...pairs);
    byPlatform.set(post.platform, entry);
  }

  return [...byPlatform.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([platform, entry]) => {
      const steps = fitSteps(entry.train, ages, options.minPairs);
      return {
        platform,
        targetHours: options.targetMs / HOUR_MS,
        posts: entry.posts,
        trainPairs: entry.train.length,
        steps: steps.filter((step): step is GrowthStep => step !== null),
        heldOut: heldOutError(entry.test, steps),
      };
    });
}

/** b per grid age (null where too few pairs), by the median difference. */
function fitSteps(
  pairs: readonly Pair[],
  ages: readonly number[],
  minPairs: number,
): (GrowthStep | null)[] {
  const diffs = ages.map((): number[] => []);
  for (const pair of pairs) diffs[pair.step]?.push(pair.target - pair.now);

  return ages.map((ageHours, step) => {
    const values = diffs[step] ?? [];
    if (values.length === 0 || values.length < minPairs) return null;
    return { ageHours, b: median(values), pairs: values.length };
  });
}

function heldOutError(pairs: readonly Pair[], steps: readonly (GrowthStep | null)[]): HeldOutError {
  let count = 0;
  let error = 0;
  let persistence = 0;
  const relative: number[] = [];
  for (const pair of pairs) {
    const step = steps[pair.step];
    if (step === null || step === undefined) continue;
    const predicted = pair.now + step.b;
    count++;
    error += Math.abs(predicted - pair.target);
    persistence += Math.abs(pair.now - pair.target);
    const actual = Math.expm1(pair.target);
    relative.push(Math.abs(Math.expm1(predicted) - actual) / Math.max(actual, 1));
  }

  return {
    pairs: count,
    maeLog: count === 0 ? null : error / count,
    persistenceMaeLog: count === 0 ? null : persistence / count,
    medianRelativeError: count === 0 ? null : median(relative),
  };
}

/**
 * The predicted log1p N(T) of a post read at `ageMs` with log1p engagement `logNow`, or null
 * when the model has no growth term near that age. At or past T the post has landed: b = 0.
 */
export function predictLog(
  model: PlatformModel,
  ageMs: number,
  logNow: number,
  ageTolerance: number,
): number | null {
  const targetMs = model.targetHours * HOUR_MS;
  if (ageMs >= targetMs) return logNow;
  if (model.steps.length === 0 || !(ageMs > 0)) return null;

  const points = [
    ...model.steps.map((step) => ({ ageMs: step.ageHours * HOUR_MS, b: step.b })),
    { ageMs: targetMs, b: 0 },
  ];
  const first = points[0] as { ageMs: number; b: number };
  if (ageMs <= first.ageMs) return ageMs * ageTolerance >= first.ageMs ? logNow + first.b : null;

  const upper = points.findIndex((point) => point.ageMs >= ageMs);
  const hi = points[upper] as { ageMs: number; b: number };
  const lo = points[upper - 1] as { ageMs: number; b: number };
  const weight = Math.log(ageMs / lo.ageMs) / Math.log(hi.ageMs / lo.ageMs);

  return logNow + lo.b + weight * (hi.b - lo.b);
}
