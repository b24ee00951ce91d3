/**
 * Quantiles from cumulative histogram buckets, by the rules of PromQL's `histogram_quantile` for
 * classic histograms (promql/quantile.go, `bucketQuantile`), so a figure here equals the one a
 * Prometheus server would compute from the same scrape.
 */

/** One cumulative bucket: observations less than or equal to `upperBound` (the `le` label). */
export interface HistogramBucket {
  upperBound: number;
  count: number;
}

/** A quantile and the repairs that were needed to compute it. */
export interface HistogramQuantile {
  /** NaN when the buckets cannot answer (see `histogramQuantile`). */
  value: number;
  /** Whether a bucket count was lower than a bucket below it and was raised to match. */
  wasMonotonicityForced: boolean;
  /** Whether counts that differed only by float rounding (relative 1e-12) were made equal. */
  wasPrecisionFixed: boolean;
}

/** Counts this close (relative) are float noise from summing rates, not a real decrease. */
const PRECISION_TOLERANCE = 1e-12;

/**
 * The q-quantile of cumulative buckets, interpolating linearly inside the bucket that holds it:
 *
 * - q NaN gives NaN; q < 0 gives -Infinity; q > 1 gives +Infinity.
 * - Buckets are sorted by upper bound, and buckets with the same bound are added together.
 * - The highest bucket must be +Inf, else NaN. Fewer than two buckets, or no observations: NaN.
 * - Counts that fall by less than a relative 1e-12 are float noise and are evened out; counts that
 *   fall further are raised to the running maximum (Prometheus' "forced monotonicity").
 * - The lowest bucket interpolates from 0, unless its upper bound is <= 0: then that bound is the
 *   answer. A quantile in the +Inf bucket is the second-highest upper bound.
 *
 * The input is not mutated.
 * @example
 * histogramQuantile(0.5, [
 *   { upperBound: 0.1, count: 2 },
 *   { upperBound: 1, count: 6 },
 *   { upperBound: Number.POSITIVE_INFINITY, count: 8 },
 * ]).value; // 0.55
 */
export function histogramQuantile(
  q: number,
  buckets: readonly HistogramBucket[],
): HistogramQuantile {
  const answer = (value: number, wasMonotonicityForced = false, wasPrecisionFixed = false) => ({
    value,
    wasMonotonicityForced,
    wasPrecisionFixed,
  });
  if (Number.isNaN(q)) return answer(Number.NaN);
  if (q < 0) return answer(Number.NEGATIVE_INFINITY);
  if (q > 1) return answer(Number.POSITIVE_INFINITY);

  const sorted = buckets
    .map((bucket) => ({ ...bucket }))
    .sort((a, b) => (a.upperBound < b.upperBound ? -1 : a.upperBound > b.upperBound ? 1 : 0));
  if (sorted.at(-1)?.upperBound !== Number.POSITIVE_INFINITY) return answer(Number.NaN);

  const merged = coalesce(sorted);
  const wasPrecisionFixed = fixPrecision(merged);
  const wasMonotonicityForced = forceMonotonic(merged);
  if (merged.length < 2) return answer(Number.NaN);

  const observations = (merged.at(-1) as HistogramBucket).count;
  if (observations === 0) return answer(Number.NaN);

  return answer(locate(merged, q * observations), wasMonotonicityForced, wasPrecisionFixed);
}

/** Interpolates `rank` inside the first bucket whose count reaches it. */
function locate(buckets: HistogramBucket[], rank: number): number {
  // Binary search, as Go's sort.Search, for the first bucket below +Inf whose count reaches the
  // rank; the +Inf bucket when none does (also when the rank or the counts are NaN).
  let b = 0;
  let end = buckets.length - 1;
  while (b < end) {
    const middle = (b + end) >>> 1;
    if ((buckets[middle] as HistogramBucket).count >= rank) end = middle;
    else b = middle + 1;
  }

  // The +Inf bucket has no width to interpolate in: its lower bound is the best answer.
  if (b === buckets.length - 1) return (buckets[b - 1] as HistogramBucket).upperBound;
  const bucket = buckets[b] as HistogramBucket;
  if (b === 0 && bucket.upperBound <= 0) return bucket.upperBound;

  let start = 0;
  let count = bucket.count;
  let within = rank;
  if (b > 0) {
    const below = buckets[b - 1] as HistogramBucket;
    start = below.upperBound;
    count -= below.count;
    within -= below.count;
  }

  return start + (bucket.upperBound - start) * (within / count);
}

/** Adds up buckets with the same upper bound (sorted input). */
function coalesce(sorted: HistogramBucket[]): HistogramBucket[] {
  const merged: HistogramBucket[] = [];
  for (const bucket of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && last.upperBound === bucket.upperBound) last.count += bucket.count;
    else merged.push(bucket);
  }
  return merged;
}

/** Evens out decreases within float rounding; returns whether any count changed. */
function fixPrecision(buckets: HistogramBucket[]): boolean {
  let isFixed = false;
  let previous = (buckets[0] as HistogramBucket).count;
  for (let i = 1; i < buckets.length; i++) {
    const bucket = buckets[i] as HistogramBucket;
    const delta = Math.abs(bucket.count - previous);
    if (delta === 0) continue;
    if (delta / bucket.count <= PRECISION_TOLERANCE) {
      bucket.count = previous;
      isFixed = true;
    } else {
      previous = bucket.count;
    }
  }
  return isFixed;
}

/** Raises each count to the running maximum; returns whether any count changed. */
function forceMonotonic(buckets: HistogramBucket[]): boolean {
  let isForced = false;
  let max = (buckets[0] as HistogramBucket).count;
  for (let i = 1; i < buckets.length; i++) {
    const bucket = buckets[i] as HistogramBucket;
    if (bucket.count > max) max = bucket.count;
    else if (bucket.count < max) {
      bucket.count = max;
      isForced = true;
    }
  }
  return isForced;
}
