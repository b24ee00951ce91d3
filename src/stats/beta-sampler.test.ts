import { describe, expect, it } from 'vitest';
import { betaCdf } from './beta-cdf.ts';
import { BetaVector, beta, fillBeta } from './beta-sampler.ts';
import { ksCriticalValue, ksStatistic } from './ks.ts';
import { createRng } from './random.ts';

// 20,000 draws per shape at alpha = 0.001: D must stay below ~0.0138. Each check has a fixed
// seed, so it is deterministic; alpha says how unlucky a seed would have to be for a correct
// sampler to fail (1 in 1,000 per shape), and the power check below shows that a shape off by
// 5% in one parameter is already rejected at this n.
const N = 20_000;
const ALPHA = 0.001;

function ksOfSampler(a: number, b: number, seed: number, cdfA = a, cdfB = b): number {
  const draws = fillBeta(createRng(seed), a, b, new Float64Array(N)).sort();

  // Below 1 - 1e-9: see ksStatistic on values that round to 1 (only tiny shapes have them).
  return ksStatistic(draws, (x) => betaCdf(x, cdfA, cdfB), 1 - 1e-9);
}

describe('beta sampler against the exact Beta CDF (Kolmogorov-Smirnov)', () => {
  it.each([
    // both shapes below 1 (Johnk), including shapes where both powers underflow
    [0.05, 0.05],
    [0.5, 0.5],
    [0.9, 0.7],
    // one shape below 1 (boosted Gamma)
    [0.3, 4],
    [6, 0.2],
    // uniform prior, small counts, a skewed click-rate posterior
    [1, 1],
    [2, 5],
    [1, 40],
    [31, 2_000],
    // very large counts: a year of impressions, and a symmetric million-count posterior
    [20_000, 1_000_000],
    [1_000_000, 1_000_000],
  ])('Beta(%s, %s) passes at alpha = 0.001', (a, b) => {
    const d = ksOfSampler(a, b, 7);
    expect(d).toBeLessThan(ksCriticalValue(N, ALPHA));
  });

  it.each([
    [2, 5, 2.1, 5],
    [0.3, 4, 0.32, 4],
    [0.05, 0.05, 0.055, 0.05],
    [20_000, 1_000_000, 20_000, 1_001_000],
  ])('rejects draws of Beta(%s, %s) against the CDF of Beta(%s, %s)', (a, b, cdfA, cdfB) => {
    expect(ksOfSampler(a, b, 7, cdfA, cdfB)).toBeGreaterThan(ksCriticalValue(N, ALPHA));
  });
});

describe('beta', () => {
  it('draws the same stream one at a time, by fill and by vector', () => {
    const shapes: [number, number][] = [
      [0.4, 0.6],
      [0.5, 3],
      [3, 0.5],
      [2, 9],
    ];
    for (const [a, b] of shapes) {
      const single = createRng(11);
      const one = Array.from({ length: 50 }, () => beta(single, a, b));
      expect(Array.from(fillBeta(createRng(11), a, b, new Float64Array(50)))).toEqual(one);

      const vector = BetaVector.from([a], [b]);
      const rng = createRng(11);
      expect(Array.from({ length: 50 }, () => vector.sample(rng, 0))).toEqual(one);
    }
  });

  it('stays inside [0, 1] and never returns NaN for tiny shapes', () => {
    const draws = fillBeta(createRng(5), 0.001, 0.002, new Float64Array(5_000));
    expect(draws.every((x) => x >= 0 && x <= 1)).toBe(true);
    // Beta(0.001, 0.002) puts nearly all its mass next to 0 or 1, a / (a + b) = 1/3 next to 1.
    const nearOne = draws.filter((x) => x > 0.5).length / draws.length;
    expect(Math.abs(nearOne - 1 / 3)).toBeLessThan(0.03);
  });

  it('rejects a shape that is not a finite number above 0', () => {
    expect(() => beta(createRng(1), 0, 1)).toThrow('beta a: got 0, expected a finite number > 0');
    expect(() => beta(createRng(1), 1, Number.NaN)).toThrow('beta b: got NaN');
    expect(() => new BetaVector(2).set(1, 1, -2)).toThrow('beta b of entry 1: got -2');
    expect(() => BetaVector.from([1, 2], [1])).toThrow('2 alphas but 1 betas');
  });
});

describe('BetaVector', () => {
  it('keeps shapes and means, and recomputes one entry when set', () => {
    const vector = BetaVector.from([1, 2], [1, 6]);
    expect([vector.alpha(1), vector.beta(1), vector.mean(1)]).toEqual([2, 6, 0.25]);

    vector.set(0, 0.5, 0.5);
    const rng = createRng(3);
    const fromVector = Array.from({ length: 20 }, () => vector.sample(rng, 0));
    expect(fromVector).toEqual(Array.from(fillBeta(createRng(3), 0.5, 0.5, new Float64Array(20))));
  });

  it('draws one value per entry per round and picks the largest', () => {
    const vector = BetaVector.from([500, 1, 1], [1, 500, 500]);
    const out = vector.drawAll(createRng(1), new Float64Array(3));
    expect(out[0]).toBeGreaterThan(0.95);
    expect(out[1]).toBeLessThan(0.05);
    expect(vector.drawArgmax(createRng(2))).toBe(0);
    expect(new BetaVector(0).drawArgmax(createRng(2))).toBe(-1);
  });
});
