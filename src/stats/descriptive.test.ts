import { describe, expect, it } from 'vitest';
import { mad, madScaled, median, quantile, quantileSorted, summarize } from './descriptive.ts';
import { createRng } from './random.ts';

describe('median', () => {
  it('takes the middle value of an odd count', () => {
    expect(median(new Float64Array([9, 1, 5]))).toBe(5);
  });

  it('averages the two middle values of an even count', () => {
    expect(median([3, 1, 4, 1, 5, 9, 2, 6])).toBe(3.5);
  });

  it('does not mutate its input', () => {
    const values = new Float64Array([3, 2, 1]);
    median(values);
    expect(Array.from(values)).toEqual([3, 2, 1]);
  });

  it('agrees with a sort on random data with ties', () => {
    const rng = createRng(7);
    for (let n = 1; n < 60; n++) {
      const values = Float64Array.from({ length: n }, () => Math.floor(rng() * 10));
      const sorted = Float64Array.from(values).sort();
      const expected = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
      expect(median(values)).toBe(expected);
    }
  });

  it('rejects an empty sample', () => {
    expect(() => median([])).toThrow('median: got an empty sample');
  });
});

describe('mad', () => {
  it('is the raw median absolute deviation', () => {
    // |x - 3.5| = [0.5, 2.5, 0.5, 2.5, 1.5, 5.5, 1.5, 2.5] -> median 2.
    expect(mad([3, 1, 4, 1, 5, 9, 2, 6])).toBe(2);
  });

  it('scales by 1.4826 for normal consistency', () => {
    expect(madScaled([3, 1, 4, 1, 5, 9, 2, 6])).toBeCloseTo(2.9652, 12);
  });

  it('is 0 for equal values', () => {
    expect(mad([4, 4, 4, 4])).toBe(0);
  });
});

describe('quantile', () => {
  // Reference values from numpy.quantile (method="linear", the default).
  const ten = Float64Array.from({ length: 10 }, (_, i) => i + 1);

  it.each([
    [0, 1],
    [0.25, 3.25],
    [0.5, 5.5],
    [0.9, 9.1],
    [0.95, 9.55],
    [0.99, 9.91],
    [1, 10],
  ])('gives numpy type 7 at p=%s of 1..10', (p, expected) => {
    expect(quantile(ten, p)).toBeCloseTo(expected, 12);
    expect(quantileSorted(ten, p)).toBeCloseTo(expected, 12);
  });

  it('interpolates on unsorted input with ties', () => {
    // numpy.quantile([3, 1, 4, 1, 5, 9, 2, 6], [0.25, 0.75]) -> [1.75, 5.25]
    expect(quantile([3, 1, 4, 1, 5, 9, 2, 6], 0.25)).toBeCloseTo(1.75, 12);
    expect(quantile([3, 1, 4, 1, 5, 9, 2, 6], 0.75)).toBeCloseTo(5.25, 12);
  });

  it('returns the only value of a one-value sample', () => {
    expect(quantile([42], 0.99)).toBe(42);
  });

  it('rejects p outside [0, 1]', () => {
    expect(() => quantile([1, 2], 1.5)).toThrow(
      'got p=1.5, expected a probability between 0 and 1',
    );
  });
});

describe('summarize', () => {
  it('matches numpy on 1..10', () => {
    const summary = summarize(Float64Array.from({ length: 10 }, (_, i) => i + 1));
    expect(summary.count).toBe(10);
    expect(summary.nanCount).toBe(0);
    expect(summary.mean).toBe(5.5);
    // numpy.std(x) and numpy.std(x, ddof=1)
    expect(summary.stdPopulation).toBeCloseTo(2.8722813232690143, 12);
    expect(summary.stdSample).toBeCloseTo(3.0276503540974917, 12);
    expect(summary.min).toBe(1);
    expect(summary.max).toBe(10);
    expect(summary.p50).toBe(5.5);
    expect(summary.p90).toBeCloseTo(9.1, 12);
    expect(summary.p95).toBeCloseTo(9.55, 12);
    expect(summary.p99).toBeCloseTo(9.91, 12);
  });

  it('excludes and counts NaN', () => {
    const summary = summarize([2, Number.NaN, 4, Number.NaN]);
    expect(summary.count).toBe(2);
    expect(summary.nanCount).toBe(2);
    expect(summary.mean).toBe(3);
    expect(summary.stdPopulation).toBe(1);
    expect(summary.stdSample).toBeCloseTo(Math.SQRT2, 12);
  });

  it('gives counts 0 and nulls for an empty sample', () => {
    expect(summarize([])).toEqual({
      count: 0,
      nanCount: 0,
      mean: null,
      stdPopulation: null,
      stdSample: null,
      min: null,
      max: null,
      p50: null,
      p90: null,
      p95: null,
      p99: null,
    });
  });

  it('has no sample deviation for one value', () => {
    const summary = summarize([7]);
    expect(summary.stdPopulation).toBe(0);
    expect(summary.stdSample).toBeNull();
    expect(summary.p99).toBe(7);
  });
});
