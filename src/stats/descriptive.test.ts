import { describe, expect, it } from 'vitest';
import { mad, median, quantileSorted, quantiles, summarize } from './descriptive.ts';
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

  it('is 0 for equal values', () => {
    expect(mad([4, 4, 4, 4])).toBe(0);
  });
});

/** One quantile through the selection path. */
function quantile(values: readonly number[] | Float64Array, p: number): number {
  return quantiles(values, [p])[0]!;
}

describe('quantile', () => {
  // Reference values: numpy 2.4 numpy.quantile(x, p) (method="linear", the default), printed with
  // repr so every bit is kept. numpy interpolates as b - (b - a)(1 - t) from t = 0.5 on, which is
  // why p95 of 1..10 is 9.549999999999999 and not 9.55.
  const ten = Float64Array.from({ length: 10 }, (_, i) => i + 1);
  const irregular = [0.3, 12.7, 5.1, 9.9, 1.25, 3.3, 7.0, 2.2, 8.8, 4.4, 6.6, 0.05, 11.1];

  it.each([
    [0, 1],
    [0.25, 3.25],
    [0.5, 5.5],
    [0.9, 9.1],
    [0.95, 9.549999999999999],
    [0.99, 9.91],
    [1, 10],
  ])('matches numpy at p=%s of 1..10', (p, expected) => {
    expect(quantile(ten, p)).toBe(expected);
    expect(quantileSorted(ten, p)).toBe(expected);
  });

  it.each([
    [0.1, 0.49000000000000016],
    [0.25, 2.2],
    [1 / 3, 3.3],
    [0.5, 5.1],
    [0.75, 8.8],
    [0.9, 10.860000000000001],
    [0.95, 11.739999999999997],
    [0.99, 12.507999999999997],
  ])('matches numpy bit for bit at p=%s of 13 irregular values', (p, expected) => {
    expect(quantile(irregular, p)).toBe(expected);
    expect(quantiles(irregular, [p])).toEqual([expected]);
  });

  it('interpolates on unsorted input with ties', () => {
    // numpy.quantile([3, 1, 4, 1, 5, 9, 2, 6], [0.25, 0.75]) -> [1.75, 5.25]
    expect(quantile([3, 1, 4, 1, 5, 9, 2, 6], 0.25)).toBe(1.75);
    expect(quantile([3, 1, 4, 1, 5, 9, 2, 6], 0.75)).toBe(5.25);
  });

  it('returns the only value of a one-value sample', () => {
    expect(quantile([42], 0.99)).toBe(42);
  });

  // numpy 2.4: numpy.quantile(x, [0, 0.25, 0.5, 0.6, 0.75, 1.0]) with float p, every value
  // printed with repr. Next to an infinity numpy's arithmetic decides (see quantileSorted).
  const I = Number.POSITIVE_INFINITY;
  const N = Number.NaN;
  const ps = [0, 0.25, 0.5, 0.6, 0.75, 1];
  it.each([
    ['[1, 2, Inf]', [1, 2, I], [1, 1.5, N, I, N, N]],
    ['[-Inf, 1]', [-I, 1], [N, N, -I, -I, -I, 1]],
    ['[-Inf, Inf]', [-I, I], [N, N, N, N, N, N]],
    ['[Inf]', [I], [N, N, N, N, N, N]],
    ['[1, Inf, Inf]', [1, I, I], [N, N, N, N, N, N]],
    ['[-Inf, 0, 5, Inf]', [-I, 0, 5, I], [N, -I, 2.5, 3.999999999999999, I, N]],
  ])('matches numpy next to infinities on %s, on every path', (_label, values, expected) => {
    const sorted = Float64Array.from(values).sort();

    expect(ps.map((p) => quantileSorted(sorted, p))).toEqual(expected);
    expect(ps.map((p) => quantile(values, p))).toEqual(expected);
    expect(quantiles(values, ps)).toEqual(expected);
    const summary = summarize(values);
    expect(summary.p50).toEqual(expected[2]);
  });

  it('gives NaN for the median of [1, 2, Inf], as numpy does (2 + (Inf - 2) * 0)', () => {
    expect(quantileSorted(Float64Array.from([1, 2, I]), 0.5)).toBeNaN();
    expect(quantile([1, 2, I], 0.5)).toBeNaN();
    expect(quantiles([I, 1, 2], [0.5])).toEqual([N]);
    expect(summarize([2, I, 1]).p50).toBeNaN();
  });

  it('rejects p outside [0, 1]', () => {
    expect(() => quantile([1, 2], 1.5)).toThrow(
      'got p=1.5, expected a probability between 0 and 1',
    );
    expect(() => quantiles([1, 2], [Number.NaN])).toThrow('got p=NaN');
  });
});

describe('quantiles', () => {
  it('matches numpy on 1,000 values', () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) / 7);
    // numpy.quantile(values, [0.5, 0.9, 0.95, 0.99])
    expect(quantiles(values, [0.5, 0.9, 0.95, 0.99])).toEqual([
      71.35714285714286, 128.44285714285715, 135.57857142857142, 141.28714285714284,
    ]);
  });

  it('matches numpy.nanquantile on 100,000 values with 1,031 NaN (the sampled path)', () => {
    const values = Float64Array.from({ length: 100_000 }, (_, i) =>
      i % 97 === 0 ? Number.NaN : (((i * 2654435761) % 2 ** 32) / 2 ** 32) * 1000,
    );
    expect(quantiles(values, [0.5, 0.9, 0.95, 0.99])).toEqual([
      500.0069118104875, 900.0003069639206, 950.0056829303503, 990.0132403895258,
    ]);
    const summary = summarize(values);
    expect(summary.nanCount).toBe(1031);
    expect(summary.count).toBe(98_969);
    expect(summary.p99).toBe(990.0132403895258);
    // numpy.nanmean: its summation order differs from ours past the 13th significant digit.
    expect(summary.mean).toBeCloseTo(499.99319791226077, 9);
  });

  it('does not mutate its input', () => {
    const values = new Float64Array([5, 3, 1, 4, 2]);
    quantiles(values, [0.5, 0.9]);
    expect(Array.from(values)).toEqual([5, 3, 1, 4, 2]);
  });

  it('rejects a sample with nothing but NaN', () => {
    expect(() => quantiles([Number.NaN], [0.5])).toThrow('got no values besides NaN');
  });
});

describe('summarize', () => {
  it('matches numpy on 1..10', () => {
    const summary = summarize(Float64Array.from({ length: 10 }, (_, i) => i + 1));
    expect(summary).toEqual({
      count: 10,
      nanCount: 0,
      mean: 5.5,
      // numpy.std(x) and numpy.std(x, ddof=1)
      stdPopulation: 2.8722813232690143,
      stdSample: 3.0276503540974917,
      min: 1,
      max: 10,
      p50: 5.5,
      p90: 9.1,
      p95: 9.549999999999999,
      p99: 9.91,
    });
  });

  it('matches numpy exactly on values whose sums are exact', () => {
    // Dyadic values: every partial sum is exact, so summation order cannot change a bit.
    const summary = summarize([0.5, 1.25, -3.75, 8, 2.5, 0.125, 6.5, -1]);
    expect(summary).toMatchObject({
      mean: 1.765625,
      stdPopulation: 3.6133635970346245,
      stdSample: 3.862848169698475,
      p50: 0.875,
      p90: 6.949999999999999,
      p95: 7.475,
      p99: 7.895,
    });
  });

  it('excludes and counts NaN', () => {
    const summary = summarize([2, Number.NaN, 4, Number.NaN]);
    expect(summary.count).toBe(2);
    expect(summary.nanCount).toBe(2);
    expect(summary.mean).toBe(3);
    expect(summary.stdPopulation).toBe(1);
    expect(summary.stdSample).toBe(Math.SQRT2);
    expect(summary.p50).toBe(3);
  });

  it('gives counts 0 and nulls for an empty sample', () => {
    const empty = {
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
    };
    expect(summarize([])).toEqual(empty);
    expect(summarize(new Float64Array([Number.NaN, Number.NaN]))).toEqual({
      ...empty,
      nanCount: 2,
    });
  });

  it('has no sample deviation for one value', () => {
    const summary = summarize([7]);
    expect(summary.stdPopulation).toBe(0);
    expect(summary.stdSample).toBeNull();
    expect(summary.p99).toBe(7);
  });

  it('keeps infinities in the extremes and the mean, and quantiles as numpy has them', () => {
    const summary = summarize([1, 2, Number.POSITIVE_INFINITY]);
    expect(summary.max).toBe(Number.POSITIVE_INFINITY);
    expect(summary.mean).toBe(Number.POSITIVE_INFINITY);
    expect(summary.stdPopulation).toBeNaN();
    // numpy.quantile([1, 2, inf], [0.5, 0.9, 0.95, 0.99]) -> [nan, nan, nan, nan]
    expect([summary.p50, summary.p90, summary.p95, summary.p99]).toEqual([
      Number.NaN,
      Number.NaN,
      Number.NaN,
      Number.NaN,
    ]);
  });

  it('agrees with a sort on 200,000 seeded values', () => {
    const rng = createRng(11);
    const values = Float64Array.from({ length: 200_000 }, () => -Math.log(1 - rng()) * 100);
    const sorted = Float64Array.from(values).sort();
    const summary = summarize(values);

    expect(summary.min).toBe(sorted[0]);
    expect(summary.max).toBe(sorted.at(-1));
    expect(summary.p50).toBe(quantileSorted(sorted, 0.5));
    expect(summary.p90).toBe(quantileSorted(sorted, 0.9));
    expect(summary.p95).toBe(quantileSorted(sorted, 0.95));
    expect(summary.p99).toBe(quantileSorted(sorted, 0.99));
  });
});
