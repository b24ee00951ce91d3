import { describe, expect, it } from 'vitest';
import {
  hitRatio,
  improvement,
  medianRatio,
  pairRatios,
  reuseRatio,
  sampleStats,
  speedup,
  steadyCount,
} from './figures.ts';

describe('sampleStats', () => {
  it('gives the median, the type-7 p99, the least and the largest', () => {
    expect(sampleStats([5, 1, 3, 2, 4])).toEqual({
      samples: [5, 1, 3, 2, 4],
      median: 3,
      // (5 - 1) x 0.99 = 3.96: 4 + 0.96 x (5 - 4).
      p99: 4.96,
      min: 1,
      max: 5,
    });
  });

  it('averages the two middle values of an even sample', () => {
    expect(sampleStats([10, 40, 20, 30]).median).toBe(25);
  });

  it('refuses an empty sample', () => {
    expect(() => sampleStats([])).toThrow(RangeError);
  });
});

describe('pair ratios', () => {
  it('divides each optimised figure by the naive one of its pair', () => {
    expect(pairRatios([100, 200, 400], [50, 50, 100])).toEqual([0.5, 0.25, 0.25]);
  });

  it('gives no ratio for a pair whose naive side took no time', () => {
    const ratios = pairRatios([100, 0], [50, 10]);
    expect(ratios[0]).toBe(0.5);
    expect(Number.isNaN(ratios[1])).toBe(true);
  });

  it('refuses samples of different lengths', () => {
    expect(() => pairRatios([1, 2], [1])).toThrow(/2 naive and 1 optimised/);
  });

  it('takes the median of the finite ratios only', () => {
    expect(medianRatio([0.5, Number.NaN, 0.25, 0.3])).toBe(0.3);
    expect(medianRatio([Number.NaN])).toBeNull();
  });

  it('turns a ratio into an improvement and a speed-up', () => {
    expect(improvement(0.25)).toBe(0.75);
    expect(speedup(0.25)).toBe(4);
    expect(improvement(1.25)).toBe(-0.25);
    expect(speedup(0)).toBeNull();
    expect(improvement(null)).toBeNull();
  });
});

describe('ratios of counts', () => {
  it('gives connection reuse as 1 - connections / requests, never below 0', () => {
    expect(reuseRatio(96, 8)).toBeCloseTo(0.916_666_666_7, 10);
    expect(reuseRatio(3, 3)).toBe(0);
    expect(reuseRatio(2, 5)).toBe(0);
    expect(reuseRatio(0, 0)).toBeNull();
  });

  it('gives the cache hit ratio, or null without lookups', () => {
    expect(hitRatio(3, 1)).toBe(0.75);
    expect(hitRatio(0, 0)).toBeNull();
  });

  it('says whether runs agreed on a count, with their median', () => {
    expect(steadyCount([7, 7, 7])).toEqual({ value: 7, isSteady: true });
    expect(steadyCount([7, 9, 8])).toEqual({ value: 8, isSteady: false });
    expect(steadyCount([])).toEqual({ value: 0, isSteady: true });
  });
});
