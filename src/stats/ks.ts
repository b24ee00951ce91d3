/**
 * The one-sample Kolmogorov-Smirnov test, to check samplers against an exact CDF. Support for
 * the sampler tests (beta-sampler.test.ts, normal.test.ts); no product code uses it.
 * @internal
 */

/**
 * D = sup |F_n(x) - F(x)| of a sample against a continuous CDF.
 * @param sorted the sample in ascending order (sort a Float64Array copy with `.sort()`).
 * @param below evaluate the supremum only over sample points below this value; the others still
 *   count in the ranks. For samples whose values round onto the end of the support: doubles next
 *   to 1 are 1.1e-16 apart, so a draw of Beta(0.05, 0.05) within that of 1 (8% of them) becomes
 *   exactly 1, an atom the continuous CDF does not have. A supremum over part of the range is at
 *   most the full one, so the critical value stays valid. Default: every point.
 */
export function ksStatistic(
  sorted: ArrayLike<number>,
  cdf: (x: number) => number,
  below = Infinity,
): number {
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const x = sorted[i] as number;
    if (!(x < below)) break;
    const f = cdf(x);
    // The empirical CDF jumps from i/n to (i+1)/n at the i-th order statistic.
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }

  return d;
}

/**
 * The critical value of D at significance `alpha` for a sample of n: a correct sampler exceeds it
 * with probability about alpha.
 *
 * Kolmogorov's limit gives P(sqrt(n) D > x) = 2 sum_k (-1)^(k-1) exp(-2 k^2 x^2); for alpha <= 0.2
 * the first term alone is accurate to better than 1e-4 of alpha's level, so
 * x = sqrt(-ln(alpha / 2) / 2). Stephens (1970) makes it hold for finite n by dividing by
 * sqrt(n) + 0.12 + 0.11 / sqrt(n) instead of sqrt(n).
 * @throws RangeError when alpha is not in (0, 0.2] or n < 1.
 */
export function ksCriticalValue(n: number, alpha: number): number {
  if (!(alpha > 0 && alpha <= 0.2)) {
    throw new RangeError(`ksCriticalValue alpha: got ${alpha}, expected a number in (0, 0.2]`);
  }
  if (!(n >= 1)) throw new RangeError(`ksCriticalValue n: got ${n}, expected at least 1`);
  const root = Math.sqrt(n);

  return Math.sqrt(-Math.log(alpha / 2) / 2) / (root + 0.12 + 0.11 / root);
}
