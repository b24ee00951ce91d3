import { describe, expect, it } from 'vitest';
import { createRng } from '../stats/index.ts';
import {
  bootstrapIntervals,
  clopperPearson,
  effectiveSampleSize,
  estimate,
  sumLog,
} from './estimators.ts';
import type { PreparedLog } from './estimators.ts';

// Four logged rows. Weights w = pi / p: row 0 the target policy shows twice as often as the
// logger, row 1 never, row 2 as often, row 3 half as often. The target's own draw matched the
// logged item in rows 0, 2 and 3.
const LOG: PreparedLog = {
  weight: Float64Array.from([2, 0, 1, 0.5]),
  click: Uint8Array.from([1, 1, 0, 1]),
  matched: Uint8Array.from([1, 0, 1, 1]),
};

describe('off-policy estimators on a hand-computed log', () => {
  it('computes IPW, SNIPW, replay and the effective sample size', () => {
    const sums = sumLog(LOG);

    // IPW = (2*1 + 0*1 + 1*0 + 0.5*1) / 4 rows.
    // SNIPW = 2.5 / (2 + 0 + 1 + 0.5). Replay: clicks 1, 0, 1 in the 3 matched rows.
    expect(estimate(sums)).toEqual({ ipw: 2.5 / 4, snipw: 2.5 / 3.5, replay: 2 / 3 });
    // (sum w)^2 / sum w^2 = 3.5^2 / (4 + 0 + 1 + 0.25).
    expect(effectiveSampleSize(sums)).toBeCloseTo(12.25 / 5.25, 15);
  });

  it('sums a resample with repeated rows', () => {
    // Rows 0, 0, 2, 3: sum w r = 2 + 2 + 0 + 0.5, sum w = 5.5, 4 matches with 3 clicks.
    expect(estimate(sumLog(LOG, [0, 0, 2, 3]))).toEqual({
      ipw: 4.5 / 4,
      snipw: 4.5 / 5.5,
      replay: 3 / 4,
    });
  });

  it('leaves an estimate undefined without weight or matches', () => {
    const none: PreparedLog = {
      weight: Float64Array.from([0, 0]),
      click: Uint8Array.from([1, 0]),
      matched: Uint8Array.from([0, 0]),
    };
    expect(estimate(sumLog(none))).toEqual({ ipw: 0, snipw: null, replay: null });
    expect(effectiveSampleSize(sumLog(none))).toBe(0);
  });

  it('gives the logged click rate for the logging policy itself', () => {
    // A uniform policy evaluated on a uniform log: every weight is (1/34) / (1/34) = 1.
    const log: PreparedLog = {
      weight: new Float64Array(10).fill(1),
      click: Uint8Array.from([0, 0, 1, 0, 0, 0, 1, 0, 0, 0]),
      matched: new Uint8Array(10).fill(1),
    };
    expect(estimate(sumLog(log))).toEqual({ ipw: 0.2, snipw: 0.2, replay: 0.2 });
  });
});

describe('bootstrapIntervals', () => {
  it('spans the resampled means of a two-row log', () => {
    // Resampling rows {0 click, 1 click} twice gives means 0, 1/2, 1 with odds 1:2:1, so the 95%
    // percentile interval runs from 0 to 1.
    const log: PreparedLog = {
      weight: Float64Array.from([1, 1]),
      click: Uint8Array.from([0, 1]),
      matched: Uint8Array.from([1, 1]),
    };
    const intervals = bootstrapIntervals(log, 2_000, 0.95, createRng(1));
    expect(intervals.ipw).toEqual({ low: 0, high: 1 });
    expect(intervals.snipw).toEqual({ low: 0, high: 1 });
    // A 40% interval cuts 30% tails, more than the 25% at each end: only the middle value is left.
    expect(bootstrapIntervals(log, 2_000, 0.4, createRng(1)).ipw).toEqual({ low: 0.5, high: 0.5 });
  });

  it('repeats itself for a seed and leaves out resamples without a match', () => {
    const a = bootstrapIntervals(LOG, 300, 0.9, createRng(5));
    expect(bootstrapIntervals(LOG, 300, 0.9, createRng(5))).toEqual(a);
    expect(a.ipw!.low).toBeLessThanOrEqual(2.5 / 4);
    expect(a.ipw!.high).toBeGreaterThanOrEqual(2.5 / 4);

    const unmatched: PreparedLog = { ...LOG, matched: new Uint8Array(4) };
    expect(bootstrapIntervals(unmatched, 50, 0.9, createRng(5)).replay).toBeNull();
  });
});

describe('clopperPearson', () => {
  it("matches the tables' exact binomial intervals", () => {
    // 0 of 10: [0, 1 - 0.025^(1/10)] = [0, 0.3085]; 5 of 10: [0.1871, 0.8129].
    const none = clopperPearson(0, 10, 0.95)!;
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(1 - 0.025 ** (1 / 10), 10);
    const half = clopperPearson(5, 10, 0.95)!;
    expect(half.low).toBeCloseTo(0.1871, 4);
    expect(half.high).toBeCloseTo(0.8129, 4);
    expect(clopperPearson(3, 3, 0.95)!.high).toBe(1);
    expect(clopperPearson(0, 0, 0.95)).toBeNull();
  });
});
