import { describe, expect, it } from 'vitest';
import { betaCdf, lnGamma } from './beta-cdf.ts';
import { beta } from './beta-sampler.ts';
import { checkShape, gammaMarsagliaTsang } from './gamma.ts';
import { normal } from './normal.ts';
import { createRng, hashSeed, shuffleInPlace } from './random.ts';

function moments(draws: Float64Array): { mean: number; variance: number } {
  let sum = 0;
  for (const x of draws) sum += x;
  const mean = sum / draws.length;
  let squares = 0;
  for (const x of draws) squares += (x - mean) ** 2;

  return { mean, variance: squares / (draws.length - 1) };
}

describe('createRng', () => {
  it('repeats its stream for a seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(c()).not.toBe(first[0]);
  });

  it('stays in [0, 1) with a mean near 1/2', () => {
    const rng = createRng(1);
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng();
      if (!(x >= 0 && x < 1)) outside++;
      sum += x;
    }
    expect(outside).toBe(0);
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
  });

  it('shuffles every order with equal chance', () => {
    const rng = createRng(8);
    const seen = new Map<string, number>();
    for (let i = 0; i < 6_000; i++) {
      const key = shuffleInPlace(rng, [0, 1, 2]).join('');
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    // 6 orders, 1,000 expected each (sd 29).
    expect(seen.size).toBe(6);
    for (const count of seen.values()) expect(Math.abs(count - 1_000)).toBeLessThan(150);
    expect(Array.from(shuffleInPlace(createRng(1), Float64Array.from([5, 6, 7])))).toHaveLength(3);
  });

  it('hashes run ids into 32-bit seeds', () => {
    expect(hashSeed('run-1')).toBe(hashSeed('run-1'));
    expect(hashSeed('run-1')).not.toBe(hashSeed('run-2'));
    expect(hashSeed('')).toBe(0x811c9dc5);
  });
});

describe('normal and gamma', () => {
  it('draws a standard normal', () => {
    const rng = createRng(3);
    const { mean, variance } = moments(Float64Array.from({ length: 50_000 }, () => normal(rng)));
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
  });

  it.each([1, 4.5, 300])('draws Gamma(%s) with mean and variance equal to the shape', (shape) => {
    const rng = createRng(11);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    const { mean, variance } = moments(
      Float64Array.from({ length: 50_000 }, () => gammaMarsagliaTsang(rng, d, c)),
    );
    expect(Math.abs(mean - shape) / shape).toBeLessThan(0.03);
    expect(Math.abs(variance - shape) / shape).toBeLessThan(0.08);
  });

  it('rejects a non-positive shape', () => {
    expect(() => checkShape('gamma shape', 0)).toThrow(
      'gamma shape: got 0, expected a finite number > 0',
    );
  });
});

describe('beta', () => {
  it.each([
    [0.5, 0.5],
    [2, 5],
    [1000, 3000],
  ])('matches the mean and variance of Beta(%s, %s)', (a, b) => {
    const n = 40_000;
    const rng = createRng(2024);
    const { mean, variance } = moments(Float64Array.from({ length: n }, () => beta(rng, a, b)));
    const expectedMean = a / (a + b);
    const expectedVariance = (a * b) / ((a + b) ** 2 * (a + b + 1));
    // Five standard errors of the sample mean; 10% for the variance.
    expect(Math.abs(mean - expectedMean)).toBeLessThan(5 * Math.sqrt(expectedVariance / n));
    expect(Math.abs(variance - expectedVariance) / expectedVariance).toBeLessThan(0.1);
  });
});

describe('betaCdf', () => {
  it('matches the closed form of Beta(2, 5)', () => {
    // I_x(2, 5) = 1 - (1 - x)^6 - 6x(1 - x)^5
    for (const x of [0.05, 0.2, 0.5, 0.8, 0.95]) {
      expect(betaCdf(x, 2, 5)).toBeCloseTo(1 - (1 - x) ** 6 - 6 * x * (1 - x) ** 5, 12);
    }
    expect(betaCdf(0.5, 2, 5)).toBeCloseTo(57 / 64, 14);
  });

  it('matches the arcsine law for Beta(1/2, 1/2)', () => {
    for (const x of [0.01, 0.3, 0.7, 0.99]) {
      expect(betaCdf(x, 0.5, 0.5)).toBeCloseTo((2 / Math.PI) * Math.asin(Math.sqrt(x)), 10);
    }
  });

  it('is 0 and 1 at the ends of the support', () => {
    expect(betaCdf(-1, 2, 3)).toBe(0);
    expect(betaCdf(1, 2, 3)).toBe(1);
  });

  it('computes ln Gamma', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 12);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });
});
