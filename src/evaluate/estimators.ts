/**
 * Off-policy estimators of a target policy's click-through rate from logged bandit feedback,
 * and percentile bootstrap intervals for them.
 *
 * With n logged rows (item a_i shown with the logging policy's probability p_i, click r_i) and the
 * target policy's probability pi_i of showing a_i in that row:
 * - IPW (inverse propensity weighting): (1/n) sum w_i r_i with w_i = pi_i / p_i. Unbiased when
 *   p_i > 0 wherever pi_i > 0.
 * - SNIPW (self-normalised IPW): sum w_i r_i / sum w_i. Slightly biased, but bounded by the
 *   largest observed reward and usually of much lower variance.
 * - Replay (Li, Chu, Langford, Wang 2011): in each row the target policy makes its own choice;
 *   rows where it matches the logged item are kept and the estimate is their click rate.
 *   Unbiased under a uniform-random logging policy.
 */
import type { Rng } from '../stats/index.ts';
import { betaCdf, quantileSorted, randomIndex } from '../stats/index.ts';

/** The sums every estimator is a ratio of, over a set of rows (possibly with repeats). */
export interface EstimatorSums {
  rows: number;
  /** sum w_i r_i */
  weightedClicks: number;
  /** sum w_i */
  weights: number;
  /** sum w_i^2, for the effective sample size */
  squaredWeights: number;
  /** rows where the target policy's own choice matched the log */
  matches: number;
  /** clicks in those rows */
  matchedClicks: number;
}

/** A logged data set prepared for estimation: per-row weight, click and replay match. */
export interface PreparedLog {
  weight: Float64Array;
  click: Uint8Array;
  matched: Uint8Array;
}

/** The three estimates from a set of sums; null where undefined (no weight, no match). */
export interface Estimates {
  ipw: number | null;
  snipw: number | null;
  replay: number | null;
}

/** Sums over `indices` (a bootstrap resample), or over every row when omitted. */
export function sumLog(log: PreparedLog, indices?: ArrayLike<number>): EstimatorSums {
  const n = indices === undefined ? log.weight.length : indices.length;
  const sums: EstimatorSums = {
    rows: n,
    weightedClicks: 0,
    weights: 0,
    squaredWeights: 0,
    matches: 0,
    matchedClicks: 0,
  };
  for (let k = 0; k < n; k++) {
    const i = indices === undefined ? k : (indices[k] as number);
    const w = log.weight[i] as number;
    const r = log.click[i] as number;
    sums.weightedClicks += w * r;
    sums.weights += w;
    sums.squaredWeights += w * w;
    if (log.matched[i] === 1) {
      sums.matches++;
      sums.matchedClicks += r;
    }
  }

  return sums;
}

/** IPW, SNIPW and replay estimates from sums. */
export function estimate(sums: EstimatorSums): Estimates {
  return {
    ipw: sums.rows > 0 ? sums.weightedClicks / sums.rows : null,
    snipw: sums.weights > 0 ? sums.weightedClicks / sums.weights : null,
    replay: sums.matches > 0 ? sums.matchedClicks / sums.matches : null,
  };
}

/** Kish's effective sample size of the weights: (sum w)^2 / sum w^2. */
export function effectiveSampleSize(sums: EstimatorSums): number {
  return sums.squaredWeights > 0 ? (sums.weights * sums.weights) / sums.squaredWeights : 0;
}

/** A two-sided interval. */
export interface Interval {
  low: number;
  high: number;
}

/**
 * Percentile bootstrap intervals of the three estimates: `resamples` times, draw as many rows as
 * the log has, with replacement, and estimate again. A resample where an estimate is undefined
 * (no matched row for replay) is left out of that estimate's interval.
 * @param level coverage, e.g. 0.95.
 */
export function bootstrapIntervals(
  log: PreparedLog,
  resamples: number,
  level: number,
  rng: Rng,
): Record<keyof Estimates, Interval | null> {
  const n = log.weight.length;
  const indices = new Uint32Array(n);
  const draws = { ipw: [] as number[], snipw: [] as number[], replay: [] as number[] };
  for (let b = 0; b < resamples; b++) {
    for (let k = 0; k < n; k++) indices[k] = randomIndex(rng, n);
    const e = estimate(sumLog(log, indices));
    if (e.ipw !== null) draws.ipw.push(e.ipw);
    if (e.snipw !== null) draws.snipw.push(e.snipw);
    if (e.replay !== null) draws.replay.push(e.replay);
  }
  const tail = (1 - level) / 2;
  const interval = (values: number[]): Interval | null => {
    if (values.length === 0) return null;
    const sorted = Float64Array.from(values).sort();
    return { low: quantileSorted(sorted, tail), high: quantileSorted(sorted, 1 - tail) };
  };

  return { ipw: interval(draws.ipw), snipw: interval(draws.snipw), replay: interval(draws.replay) };
}

/** The x with betaCdf(x, a, b) = p, by bisection (the CDF is increasing; 60 halvings of [0, 1]). */
function betaQuantile(p: number, a: number, b: number): number {
  let low = 0;
  let high = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (betaCdf(mid, a, b) < p) low = mid;
    else high = mid;
  }

  return (low + high) / 2;
}

/**
 * The Clopper-Pearson ("exact") interval of a binomial proportion, k successes in n trials: the
 * Beta quantiles (1 - level)/2 of Beta(k, n - k + 1) and (1 + level)/2 of Beta(k + 1, n - k).
 * Replay uses it beside the bootstrap, which collapses to [0, 0] when no matched row was clicked.
 */
export function clopperPearson(k: number, n: number, level: number): Interval | null {
  if (n <= 0) return null;
  const tail = (1 - level) / 2;

  return {
    low: k === 0 ? 0 : betaQuantile(tail, k, n - k + 1),
    high: k === n ? 1 : betaQuantile(1 - tail, k + 1, n - k),
  };
}
