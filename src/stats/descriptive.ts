/**
 * Order statistics and summaries on typed arrays. Selection (quickselect) instead of a full sort
 * where one or two order statistics are needed; inputs are never mutated.
 */

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

function swap(values: Float64Array, i: number, j: number): void {
  const tmp = at(values, i);
  values[i] = at(values, j);
  values[j] = tmp;
}

/**
 * Rearranges `values` in place so that index `k` holds the k-th smallest value, everything
 * before it is <= and everything after it is >=. Hoare-style partition around a median of three,
 * which keeps sorted and reversed inputs linear on average.
 * @internal
 */
export function selectInPlace(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;

  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    if (at(values, mid) < at(values, lo)) swap(values, mid, lo);
    if (at(values, hi) < at(values, lo)) swap(values, hi, lo);
    if (at(values, hi) < at(values, mid)) swap(values, hi, mid);
    const pivot = at(values, mid);

    let i = lo;
    let j = hi;
    while (i <= j) {
      while (at(values, i) < pivot) i++;
      while (at(values, j) > pivot) j--;
      if (i <= j) {
        swap(values, i, j);
        i++;
        j--;
      }
    }

    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }

  return at(values, k);
}

function minFrom(values: Float64Array, start: number): number {
  let min = at(values, start);
  for (let i = start + 1; i < values.length; i++) if (at(values, i) < min) min = at(values, i);
  return min;
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

/** The MAD times 1.4826: estimates the standard deviation for normal data. */
export function madScaled(values: NumericArray, center?: number): number {
  return MAD_NORMAL_SCALE * mad(values, center);
}

function checkProbability(p: number): void {
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`quantile: got p=${p}, expected a probability between 0 and 1`);
  }
}

/** Type-7 quantile of an ascending sorted array: linear interpolation between closest ranks. */
export function quantileSorted(sorted: Float64Array, p: number): number {
  checkProbability(p);
  requireNonEmpty(sorted, 'quantileSorted');
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const below = at(sorted, lo);
  if (lo + 1 >= sorted.length) return below;

  return below + (h - lo) * (at(sorted, lo + 1) - below);
}

/**
 * The p-quantile with linear interpolation between closest ranks (numpy's default, Hyndman and
 * Fan type 7). NaN-free input expected.
 * @throws RangeError on an empty sample or p outside [0, 1].
 */
export function quantile(values: NumericArray, p: number): number {
  checkProbability(p);
  requireNonEmpty(values, 'quantile');
  const work = Float64Array.from(values);
  const h = (work.length - 1) * p;
  const lo = Math.floor(h);
  const below = selectInPlace(work, lo);
  if (lo + 1 >= work.length || h === lo) return below;

  return below + (h - lo) * (minFrom(work, lo + 1) - below);
}

/** Count, mean, standard deviations, extremes and p50/p90/p95/p99; NaN values are counted apart. */
export function summarize(values: NumericArray): Summary {
  const kept = new Float64Array(values.length);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (!Number.isNaN(value)) kept[count++] = value;
  }
  const nanCount = values.length - count;
  if (count === 0) {
    return {
      count,
      nanCount,
      ...{ mean: null, stdPopulation: null, stdSample: null, min: null, max: null },
      ...{ p50: null, p90: null, p95: null, p99: null },
    };
  }

  // One sort serves four quantiles and both extremes; two passes keep the variance accurate.
  const sorted = kept.subarray(0, count).sort();
  let sum = 0;
  for (let i = 0; i < count; i++) sum += at(sorted, i);
  const mean = sum / count;
  let squares = 0;
  for (let i = 0; i < count; i++) squares += (at(sorted, i) - mean) ** 2;

  return {
    count,
    nanCount,
    mean,
    stdPopulation: Math.sqrt(squares / count),
    stdSample: count > 1 ? Math.sqrt(squares / (count - 1)) : null,
    min: at(sorted, 0),
    max: at(sorted, count - 1),
    p50: quantileSorted(sorted, 0.5),
    p90: quantileSorted(sorted, 0.9),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
  };
}
