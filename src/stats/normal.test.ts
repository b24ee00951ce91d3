import { describe, expect, it } from 'vitest';
import { ksCriticalValue, ksStatistic } from './ks.ts';
import { normal } from './normal.ts';
import { createRng } from './random.ts';

/** erf by its Maclaurin series; accurate to ~1e-13 for |x| <= 3, where it is used. */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const next = term / (2 * n + 1);
    sum += next;
    if (Math.abs(next) < 1e-17) break;
  }

  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** The standard normal CDF; beyond 3 by the asymptotic tail series (error below 1e-5 there). */
function phi(x: number): number {
  if (Math.abs(x) <= 3) return 0.5 * (1 + erfSeries(x / Math.SQRT2));
  const z = Math.abs(x);
  const z2 = z * z;
  const tail =
    (Math.exp(-z2 / 2) / (z * Math.sqrt(2 * Math.PI))) *
    (1 - 1 / z2 + 3 / z2 ** 2 - 15 / z2 ** 3 + 105 / z2 ** 4);

  return x > 0 ? 1 - tail : tail;
}

describe('normal (ziggurat)', () => {
  it('passes a Kolmogorov-Smirnov check against the normal CDF at alpha = 0.001', () => {
    const n = 50_000;
    const rng = createRng(17);
    const draws = Float64Array.from({ length: n }, () => normal(rng)).sort();
    expect(ksStatistic(draws, phi)).toBeLessThan(ksCriticalValue(n, 0.001));
  });

  it('draws the tail beyond 3.4426 as often as the normal law says', () => {
    // P(|Z| > 3.442619855899) = 5.7587e-4; over 400,000 draws expect 230.3 (sd 15.2).
    const n = 400_000;
    const rng = createRng(23);
    let tail = 0;
    for (let i = 0; i < n; i++) if (Math.abs(normal(rng)) > 3.442619855899) tail++;
    expect(Math.abs(tail - 230.3)).toBeLessThan(5 * 15.2);
  });

  it('repeats its stream for a seed', () => {
    const a = createRng(4);
    const b = createRng(4);
    expect(Array.from({ length: 5 }, () => normal(a))).toEqual(
      Array.from({ length: 5 }, () => normal(b)),
    );
  });
});
