/**
 * Order statistics and summaries on typed arrays. Selection instead of a full sort (see
 * `select.ts`); inputs are never mutated.
 *
 * Quantiles follow one named definition: linear interpolation between closest ranks, Hyndman and
 * Fan type 7, numpy's default `method="linear"`, down to numpy's two-sided interpolation formula
 * and its IEEE arithmetic, so results match numpy bit for bit, infinities included (the rule is
 * spelled out at `quantileSorted`).
 */
import { orderStatistics } from './sample-select.ts';
import { selectInPlace } from './select.ts';

/** Scale that turns a raw MAD into a consistent estimator of a normal standard deviation. */
export const MAD_NORMAL_SCALE = 1.4826;

/** Numbers as a typed array or a plain array. */
export type NumericArray = Float64Array | readonly number[];

/** A summary of a sample; every figure but the counts is null for an empty sample. */
export interface Summary {
  /** Finite-or-infinite values used (NaN excluded). */
  count: number;
  /** NaN values left out. */
  nanCount: number;
  mean: number | null;
  /** Standard deviation with divisor n (numpy `ddof=0`). */
  stdPopulation: number | null;
  /** Standard deviation with divisor n - 1 (numpy `ddof=1`); null below two values. */
  stdSample: number | null;
  min: number | null;
  max: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
}

function at(values: Float64Array, index: number): number {
  return values[index] as number;
}

function maxUntil(values: Float64Array, end: number): number {
  let max = at(values, 0);
  for (let i = 1; i < end; i++) if (at(values, i) > max) max = at(values, i);
  return max;
}

function requireNonEmpty(values: NumericArray, where: string): void {
  if (values.length === 0) {
    throw new RangeError(`${where}: got an empty sample, expected at least one value`);
  }
}

/**
 * The median (mean of the two middle values for an even count). NaN-free input expected.
 * @throws RangeError on an empty sample.
 */
export function median(values: NumericArray): number {
  requireNonEmpty(values, 'median');
  const work = Float64Array.from(values);
  const n = work.length;
  const upper = selectInPlace(work, n >>> 1);
  if (n % 2 === 1) return upper;

  // After selecting n/2, the lower middle value is the largest of the left part.
  return (maxUntil(work, n >>> 1) + upper) / 2;
}

/**
 * The raw median absolute deviation, median(|x - median(x)|), without the normal-consistency
 * scale. Pass `center` when the median is already known. NaN-free input expected.
 * @throws RangeError on an empty sample.
 */
export function mad(values: NumericArray, center: number = median(values)): number {
  requireNonEmpty(values, 'mad');
  const deviations = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) deviations[i] = Math.abs((values[i] as number) - center);

  return median(deviations);
}

function checkProbability(p: number): void {
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`quantile: got p=${p}, expected a probability between 0 and 1`);
  }
}

/**
 * numpy's `_lerp`, operation for operation: a + (b - a) t below t = 0.5 and b - (b - a)(1 - t)
 * from there, which is exact at both ends and monotonic on finite values. No shortcut for t = 0
 * or a = b: numpy takes none, and with an infinite neighbour IEEE arithmetic decides
 * (inf - inf and inf * 0 are NaN); see `quantileSorted` for what that gives.
 */
function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** The two order statistics (0-based ranks) a type-7 quantile reads, and the weight between. */
interface Neighbours {
  lo: number;
  hi: number;
  t: number;
}

/**
 * numpy's neighbours of p among n values: h = (n - 1) p in floating point, lo = floor h,
 * hi = lo + 1, t = h - lo; from the last rank on (h >= n - 1, so p = 1 or n = 1) both are the
 * last rank and the weight is past 0.5 (numpy's `_get_indexes` sets both to -1, and its weight
 * there is h + 1; only "at least 0.5" matters, so 1 stands in).
 */
function neighbours(n: number, p: number): Neighbours {
  const h = (n - 1) * p;
  if (h >= n - 1) return { lo: n - 1, hi: n - 1, t: 1 };
  const lo = Math.floor(h);

  return { lo, hi: lo + 1, t: h - lo };
}

/**
 * Type-7 quantile of an ascending sorted array: linear interpolation between closest ranks,
 * numpy's `numpy.quantile(x, p)` (method "linear", p a float) value for value. NaN-free input
 * expected.
 *
 * The rule, for every quantile function here (`quantileSorted`, `quantiles`, `summarize`): with n sorted values x, h = (n - 1) p, a = x[floor h] and b = x[floor h + 1]
 * (both x[n - 1] when h >= n - 1) and t = h - floor h, the result is a + (b - a) t for t < 0.5
 * and b - (b - a)(1 - t) otherwise, in IEEE double arithmetic. On finite values that is the
 * textbook interpolation, exact at the ranks. Where a or b is infinite it is what the
 * arithmetic gives, as in numpy:
 * - NaN whenever the weight on the infinite value is 0 or the other value is infinite too:
 *   quantile([1, 2, Inf], 0.5) is NaN (2 + (Inf - 2) * 0), so is the maximum p = 1 of
 *   [1, 2, Inf] (Inf - (Inf - Inf) * 0) and any p of [Inf] or [-Inf, Inf];
 * - the infinity where it gets a weight in (0, 0.5) from a finite a (a + Inf * t), or is a = -Inf
 *   with a finite b and t in [0.5, 1) (b - Inf * (1 - t)): quantile([1, 2, Inf], 0.6) is Inf,
 *   quantile([-Inf, 1], 0.5) is -Inf;
 * - NaN as well for a = -Inf, finite b and t in (0, 0.5), or finite a, b = +Inf and t >= 0.5.
 * (numpy special-cases integer p = 0 and 1, which take the rank directly; a JS number is
 * always the float case.)
 *
 * @throws RangeError on an empty array or p outside [0, 1].
 */
export function quantileSorted(sorted: Float64Array, p: number): number {
  checkProbability(p);
  requireNonEmpty(sorted, 'quantileSorted');
  const { lo, hi, t } = neighbours(sorted.length, p);

  return lerp(at(sorted, lo), at(sorted, hi), t);
}

/** The ranks that type-7 quantiles at `ps` read among n values, ascending and distinct. */
function ranksFor(n: number, ps: readonly number[]): number[] {
  const wanted = new Set<number>();
  for (const p of ps) {
    const { lo, hi } = neighbours(n, p);
    wanted.add(lo);
    wanted.add(hi);
  }
  return [...wanted].sort((a, b) => a - b);
}

/** Interpolates each quantile from the order statistics found at `ranks`. */
function interpolate(n: number, ps: readonly number[], ranks: number[], found: number[]): number[] {
  const valueAt = (rank: number): number => found[ranks.indexOf(rank)] as number;
  return ps.map((p) => {
    const { lo, hi, t } = neighbours(n, p);
    return lerp(valueAt(lo), valueAt(hi), t);
  });
}

function toFloat64(values: NumericArray): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

function countNaN(values: Float64Array): number {
  let nanCount = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) nanCount++;
  return nanCount;
}

/**
 * Type-7 quantiles (numpy's default, under the rule of `quantileSorted`) of `values` at each
 * probability in `ps`, found by selection (never a full sort); NaN values are left out, as
 * `numpy.nanquantile` does. Does not mutate its input.
 * @throws RangeError when no value is left or a p is outside [0, 1].
 * @example
 * quantiles(latencies, [0.5, 0.99]); // [p50, p99]
 */
export function quantiles(values: NumericArray, ps: readonly number[]): number[] {
  ps.forEach(checkProbability);
  const data = toFloat64(values);
  const n = data.length - countNaN(data);
  if (n === 0) throw new RangeError('quantiles: got no values besides NaN, expected at least one');

  const ranks = ranksFor(n, ps);
  return interpolate(n, ps, ranks, orderStatistics(data, ranks, n));
}

/**
 * Pairwise sum of the non-NaN values (NaN counts as 0), or with `center` of their squared
 * deviations from it. Blocks of 128 use eight running partial sums and larger ranges are halved,
 * numpy's scheme: the rounding error grows with log n instead of n, and the eight independent
 * additions keep the CPU's adders busy.
 */
function pairwiseSum(values: Float64Array, lo: number, n: number, center: number): number {
  if (n > 128) {
    const half = (n >>> 1) - ((n >>> 1) % 8);
    return pairwiseSum(values, lo, half, center) + pairwiseSum(values, lo + half, n - half, center);
  }
  if (n < 8) {
    let sum = 0;
    for (let i = lo; i < lo + n; i++) sum += term(values, i, center);
    return sum;
  }

  const r = new Float64Array(8);
  for (let j = 0; j < 8; j++) r[j] = term(values, lo + j, center);
  const blockEnd = lo + n - (n % 8);
  let i = lo + 8;
  for (; i < blockEnd; i += 8) {
    for (let j = 0; j < 8; j++) r[j] = at(r, j) + term(values, i + j, center);
  }
  let sum =
    at(r, 0) + at(r, 1) + (at(r, 2) + at(r, 3)) + (at(r, 4) + at(r, 5) + (at(r, 6) + at(r, 7)));
  for (; i < lo + n; i++) sum += term(values, i, center);
  return sum;
}

/** x, or (x - center)^2 when a center is given (not NaN); 0 for a NaN x. */
function term(values: Float64Array, i: number, center: number): number {
  const x = at(values, i);
  if (x !== x) return 0;
  if (center !== center) return x;
  return (x - center) * (x - center);
}

const EMPTY_FIGURES = {
  mean: null,
  stdPopulation: null,
  stdSample: null,
  min: null,
  max: null,
  p50: null,
  p90: null,
  p95: null,
  p99: null,
} as const;

/**
 * Count, mean, both standard deviations, extremes and p50/p90/p95/p99 (type 7, under the rule of
 * `quantileSorted`) of a sample.
 * NaN values are left out and counted in `nanCount`; an empty (or all-NaN) sample gives counts
 * and nulls. Quantiles come from one multiple selection, not a sort; the input is not mutated.
 * @example
 * summarize(new Float64Array([1, 2, 3, Number.NaN])); // count 3, nanCount 1, mean 2, p50 2, ...
 */
export function summarize(values: NumericArray): Summary {
  const data = toFloat64(values);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let nanCount = 0;
  for (let i = 0; i < data.length; i++) {
    const value = at(data, i);
    if (value !== value) nanCount++;
    else {
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  const count = data.length - nanCount;
  if (count === 0) return { count, nanCount, ...EMPTY_FIGURES };

  // Two passes (mean, then squared deviations) avoid the cancellation of sum(x^2) - n mean^2.
  const mean = pairwiseSum(data, 0, data.length, Number.NaN) / count;
  const squares = Number.isFinite(mean) ? pairwiseSum(data, 0, data.length, mean) : Number.NaN;
  const ps = [0.5, 0.9, 0.95, 0.99];
  const ranks = ranksFor(count, ps);
  const [p50, p90, p95, p99] = interpolate(count, ps, ranks, orderStatistics(data, ranks, count));

  return {
    count,
    nanCount,
    mean,
    stdPopulation: Math.sqrt(squares / count),
    stdSample: count > 1 ? Math.sqrt(squares / (count - 1)) : null,
    min,
    max,
    p50: p50 as number,
    p90: p90 as number,
    p95: p95 as number,
    p99: p99 as number,
  };
}
