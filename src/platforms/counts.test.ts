import { describe, expect, it } from 'vitest';
import { emptyCounts, parseCount, parseScore, toCounts } from './counts.ts';

describe('parseCount', () => {
  it('reads numbers, numeric strings and floats', () => {
    expect(parseCount(1234)).toBe(1234);
    expect(parseCount('1234')).toBe(1234);
    expect(parseCount(' 42 ')).toBe(42);
    expect(parseCount(12.0)).toBe(12);
    expect(parseCount(2.6)).toBe(3);
    expect(parseCount('1,234,567')).toBe(1234567);
    expect(parseCount(0)).toBe(0);
  });

  it('reads abbreviated counts', () => {
    expect(parseCount('1.2K')).toBe(1200);
    expect(parseCount('3M')).toBe(3_000_000);
    expect(parseCount('12.5k')).toBe(12_500);
    expect(parseCount('1.5B')).toBe(1_500_000_000);
  });

  it('returns null for hidden, missing, negative and unreadable values', () => {
    expect(parseCount(undefined)).toBeNull();
    expect(parseCount(null)).toBeNull();
    expect(parseCount('')).toBeNull();
    expect(parseCount('hidden')).toBeNull();
    expect(parseCount(-1)).toBeNull();
    expect(parseCount('-5')).toBeNull();
    expect(parseCount(Number.NaN)).toBeNull();
    expect(parseCount(Number.POSITIVE_INFINITY)).toBeNull();
    expect(parseCount('1.2.3')).toBeNull();
    expect(parseCount({})).toBeNull();
  });
});

describe('parseScore', () => {
  it('keeps negative scores', () => {
    expect(parseScore(-3)).toBe(-3);
    expect(parseScore('-7')).toBe(-7);
    expect(parseScore('1.2K')).toBe(1200);
    expect(parseScore(Number.NaN)).toBeNull();
  });
});

describe('toCounts', () => {
  it('normalises every field and leaves absent ones null', () => {
    expect(toCounts({ views: '7920', likes: undefined, score: -2 })).toEqual({
      ...emptyCounts(),
      views: 7920,
      score: -2,
    });
  });
});
