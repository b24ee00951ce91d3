import { describe, expect, it } from 'vitest';
import { histogramQuantile, type HistogramBucket } from './histogram-quantile.ts';

const INF = Number.POSITIVE_INFINITY;

function buckets(...pairs: Array<[number, number]>): HistogramBucket[] {
  return pairs.map(([upperBound, count]) => ({ upperBound, count }));
}

// 8 observations: 2 up to 0.1 s, 4 more up to 1 s, 2 above.
const RPC = buckets([0.1, 2], [1, 6], [INF, 8]);

describe('histogramQuantile', () => {
  it('interpolates linearly inside the bucket that holds the rank', () => {
    // rank 0.5 * 8 = 4 falls in (0.1, 1]: 2 of its 4 observations -> 0.1 + 0.9 * 2/4.
    expect(histogramQuantile(0.5, RPC).value).toBe(0.55);
    // rank 0.25 * 8 = 2 is reached by the first bucket exactly: its upper bound.
    expect(histogramQuantile(0.25, RPC).value).toBe(0.1);
  });

  it('interpolates the lowest bucket from 0', () => {
    // rank 0.1 * 8 = 0.8 of the first bucket's 2 -> 0.1 * 0.4.
    expect(histogramQuantile(0.1, RPC).value).toBeCloseTo(0.04, 15);
  });

  it('answers with the lowest upper bound when it is not above 0', () => {
    const negative = buckets([-1, 5], [0, 8], [INF, 10]);
    expect(histogramQuantile(0.2, negative).value).toBe(-1);
    // rank 7 lands in (-1, 0]: 2 of its 3 -> -1 + 1 * 2/3.
    expect(histogramQuantile(0.7, negative).value).toBeCloseTo(-1 / 3, 15);
  });

  it('answers with the second-highest bound for a rank in the +Inf bucket', () => {
    // rank 7.2 is past the 6 observations up to 1 s.
    expect(histogramQuantile(0.9, RPC).value).toBe(1);
    expect(histogramQuantile(1, RPC).value).toBe(1);
  });

  it('reaches the top of the last finite bucket at q = 1 when +Inf is empty', () => {
    expect(histogramQuantile(1, buckets([0.1, 2], [1, 8], [INF, 8])).value).toBe(1);
  });

  it('sorts buckets and adds up buckets with the same bound', () => {
    const shuffled = buckets([INF, 8], [1, 3], [0.1, 2], [1, 3]);
    // Two series' (1, ...) buckets of 3 add to 6: the same histogram as RPC.
    expect(histogramQuantile(0.5, shuffled).value).toBe(0.55);
  });

  it('raises a count that falls and says so', () => {
    const falling = buckets([0.1, 5], [1, 3], [INF, 8]);
    // 1 -> 5 after forcing; rank 4 lands in the first bucket: 0.1 * 4/5.
    const result = histogramQuantile(0.5, falling);
    expect(result.value).toBeCloseTo(0.08, 15);
    expect(result).toMatchObject({ wasMonotonicityForced: true, wasPrecisionFixed: false });
  });

  it('evens out a decrease that is only float rounding, without forcing', () => {
    const noisy = buckets([0.1, 10], [1, 9.999999999999998], [INF, 20]);
    expect(histogramQuantile(0.5, noisy)).toEqual({
      value: 0.1,
      wasMonotonicityForced: false,
      wasPrecisionFixed: true,
    });
  });

  it('gives NaN without a +Inf bucket, with fewer than two buckets or no observations', () => {
    expect(histogramQuantile(0.5, buckets([0.1, 2], [1, 6])).value).toBeNaN();
    expect(histogramQuantile(0.5, buckets([INF, 8])).value).toBeNaN();
    expect(histogramQuantile(0.5, buckets([0.1, 0], [INF, 0])).value).toBeNaN();
    expect(histogramQuantile(0.5, []).value).toBeNaN();
  });

  it('maps q outside [0, 1] to infinities and NaN to NaN', () => {
    expect(histogramQuantile(-0.1, RPC).value).toBe(Number.NEGATIVE_INFINITY);
    expect(histogramQuantile(1.1, RPC).value).toBe(INF);
    expect(histogramQuantile(Number.NaN, RPC).value).toBeNaN();
  });

  it('answers with the second-highest bound when the total count is NaN', () => {
    // rank NaN reaches no bucket, as in Prometheus.
    expect(histogramQuantile(0.5, buckets([0.1, 2], [1, 6], [INF, Number.NaN])).value).toBe(1);
  });

  it('does not mutate its input', () => {
    const input = buckets([1, 3], [0.1, 5], [INF, 8]);
    histogramQuantile(0.5, input);
    expect(input).toEqual(buckets([1, 3], [0.1, 5], [INF, 8]));
  });
});
