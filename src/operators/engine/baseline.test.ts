import { describe, expect, it } from 'vitest';
import { computeBaseline, formatAge, formatFigure, formatRatio, judge } from './baseline.ts';
import { engagementOf } from './engagement.ts';
import { NULL_COUNTS } from './testing.ts';

const OPTIONS = { zThreshold: 3.5, ratioThreshold: 3 };

describe('engagementOf', () => {
  it('adds likes, double reposts, replies and quotes', () => {
    expect(engagementOf({ ...NULL_COUNTS, likes: 10, reposts: 3, replies: 2, quotes: 1 })).toBe(19);
  });

  it('uses the score only when likes are null', () => {
    expect(engagementOf({ ...NULL_COUNTS, likes: 10, score: 9, replies: 1 })).toBe(11);
    expect(engagementOf({ ...NULL_COUNTS, score: 120, replies: 30 })).toBe(150);
  });

  it('is null when the votes are hidden, whatever else is known', () => {
    // A hidden-likes YouTube video: replies alone would look like a collapse in its account.
    expect(engagementOf({ ...NULL_COUNTS, replies: 4, views: 9_000 })).toBeNull();
  });

  it('skips null counts and is null when every count is null', () => {
    expect(engagementOf({ ...NULL_COUNTS, likes: 3, replies: 4 })).toBe(7);
    expect(engagementOf({ ...NULL_COUNTS, score: 3, quotes: 1 })).toBe(4);
    expect(engagementOf(NULL_COUNTS)).toBeNull();
    expect(engagementOf({ ...NULL_COUNTS, views: 1_000 })).toBeNull();
  });

  it('clamps a negative score to 0 and drops an overflowing sum', () => {
    expect(engagementOf({ ...NULL_COUNTS, score: -5 })).toBe(0);
    expect(engagementOf({ ...NULL_COUNTS, likes: 1e308, reposts: 1e308 })).toBeNull();
  });
});

describe('computeBaseline', () => {
  it('is null below the minimum history', () => {
    expect(computeBaseline(new Float64Array([1, 2, 3]), 5)).toBeNull();
    expect(computeBaseline(new Float64Array([]), 1)).toBeNull();
  });

  it('uses the median and 1.4826 times the MAD', () => {
    const baseline = computeBaseline(new Float64Array([1, 2, 3, 4, 100]), 5)!;
    expect(baseline.center).toBe(3);
    expect(baseline.mad).toBe(1);
    expect(baseline.scale).toBeCloseTo(1.4826, 12);
    expect(baseline.medianEngagement).toBeCloseTo(Math.expm1(3), 12);
  });

  it('falls back to the mean absolute deviation when the MAD is 0', () => {
    const baseline = computeBaseline(new Float64Array([2, 2, 2, 2, 7]), 5)!;
    expect(baseline.mad).toBe(0);
    expect(baseline.scale).toBeCloseTo(1.2533, 12);
  });

  it('falls back to 0.1 when every value is equal', () => {
    expect(computeBaseline(new Float64Array([2, 2, 2, 2, 2]), 5)!.scale).toBe(0.1);
  });
});

describe('judge', () => {
  it('explains a viral verdict', () => {
    const baseline = computeBaseline(new Float64Array(5).fill(Math.log1p(40)), 5)!;
    const verdict = judge(520, baseline, OPTIONS);
    expect(verdict.isViral).toBe(true);
    expect(verdict.ratio).toBeCloseTo(13, 9);
    expect(verdict.reason).toBe('z=25.4 ≥ 3.5 and 13.0× the account median (40)');
  });

  it('needs both the z-score and the ratio', () => {
    const baseline = computeBaseline(new Float64Array(5).fill(Math.log1p(40)), 5)!;
    expect(judge(60, baseline, OPTIONS)).toMatchObject({
      isViral: false,
      reason: 'not viral: z=4.0 ≥ 3.5, 1.5× the account median (40) < 3×',
    });
    expect(judge(45, baseline, OPTIONS).reason).toBe(
      'not viral: z=1.2 < 3.5, 1.1× the account median (40) < 3×',
    );
  });

  it('names the age and size of an equal-age baseline', () => {
    const baseline = computeBaseline(new Float64Array(5).fill(Math.log1p(40)), 5)!;
    expect(judge(520, baseline, OPTIONS, { atAgeMs: 6 * 3_600_000, posts: 7 }).reason).toBe(
      'z=25.4 ≥ 3.5 and 13.0× the account median at 6.0h (40, 7 posts)',
    );
  });

  it('guards a zero median with a floor of 1', () => {
    const baseline = computeBaseline(new Float64Array(5), 5)!;
    expect(judge(7, baseline, OPTIONS).ratio).toBe(7);
  });
});

describe('formatFigure and formatRatio', () => {
  it('round by magnitude', () => {
    expect(formatFigure(3.14159)).toBe('3.1');
    expect(formatFigure(41.4)).toBe('41');
    expect(formatFigure(2.5e7)).toBe('2.50e+7');
    expect(formatRatio(12.34)).toBe('12.3');
    expect(formatRatio(4321.6)).toBe('4322');
    expect(formatRatio(2.5e7)).toBe('2.50e+7');
  });

  it('formats ages in minutes, hours and days', () => {
    expect([0.25, 1, 6, 12.4, 47.9, 72].map((h) => formatAge(h * 3_600_000))).toEqual([
      '15m',
      '1.0h',
      '6.0h',
      '12h',
      '48h',
      '3.0d',
    ]);
  });
});
