/**
 * The bench's arithmetic: a sample's median and p99, the naive/optimised ratio pair by pair,
 * and the summaries the table and the requirements read. Pure functions, unit-tested with exact
 * values.
 */
import { median, quantiles } from '../stats/index.ts';

/** A sample and its order statistics. */
export interface SampleStats {
  samples: number[];
  median: number;
  /** Type-7 quantile (linear between closest ranks); with 5 samples it lies near the largest. */
  p99: number;
  min: number;
  max: number;
}

/**
 * Median, p99, least and largest of `samples`.
 * @throws RangeError on an empty sample.
 */
export function sampleStats(samples: readonly number[]): SampleStats {
  if (samples.length === 0) throw new RangeError('sampleStats: no samples');

  return {
    samples: [...samples],
    median: median(samples),
    p99: quantiles(samples, [0.99])[0] ?? Number.NaN,
    min: Math.min(...samples),
    max: Math.max(...samples),
  };
}

/**
 * B / A for each pair: the optimised run's figure over the naive run's measured just before it.
 * A pair where A is 0 has no ratio (NaN), and is left out of medians.
 * @throws RangeError when the two samples differ in length.
 */
export function pairRatios(naive: readonly number[], optimized: readonly number[]): number[] {
  if (naive.length !== optimized.length) {
    throw new RangeError(
      `pairRatios: ${naive.length} naive and ${optimized.length} optimised samples; pairs need equal counts`,
    );
  }

  return naive.map((a, index) => (a === 0 ? Number.NaN : (optimized[index] as number) / a));
}

/** The median of the finite ratios, or null when there are none. */
export function medianRatio(ratios: readonly number[]): number | null {
  const finite = ratios.filter((ratio) => Number.isFinite(ratio));

  return finite.length === 0 ? null : median(finite);
}

/** How much faster B is: 1 - B/A (0.87 reads "87% less time"). Null without a ratio. */
export function improvement(ratio: number | null): number | null {
  return ratio === null ? null : 1 - ratio;
}

/** A/B: 7.7 reads "7.7x faster". Null without a ratio or when B took no time. */
export function speedup(ratio: number | null): number | null {
  return ratio === null || ratio === 0 ? null : 1 / ratio;
}

/** 1 - connections / requests, or null without requests. */
export function reuseRatio(requests: number, connections: number): number | null {
  return requests === 0 ? null : Math.max(0, 1 - connections / requests);
}

/** hits / (hits + misses), or null without lookups. */
export function hitRatio(hits: number, misses: number): number | null {
  const lookups = hits + misses;

  return lookups === 0 ? null : hits / lookups;
}

/**
 * The value counts take across runs. Counts are deterministic for a scenario without faults, so
 * all runs agree; when they do not (faults, retries), the median stands for them and `isSteady`
 * says so.
 */
export function steadyCount(values: readonly number[]): { value: number; isSteady: boolean } {
  if (values.length === 0) return { value: 0, isSteady: true };

  return { value: median(values), isSteady: values.every((value) => value === values[0]) };
}
