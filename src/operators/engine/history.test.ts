import { describe, expect, it } from 'vitest';
import { ageOf, readAtAge, seriesOf, valueAtAge } from './history.ts';
import { NULL_COUNTS, makeHistory, makePost } from './testing.ts';

const HOUR_MS = 3_600_000;

describe('seriesOf', () => {
  it('reads each snapshot as (age, log1p engagement), ascending, skipping unknown counts', () => {
    const post = makeHistory('a', '1', [
      [9, 99],
      [4, 9],
      [6, null],
    ]);
    const series = seriesOf(post);

    expect([...series.ages]).toEqual([4 * HOUR_MS, 9 * HOUR_MS]);
    expect([...series.logs]).toEqual([Math.log(10), Math.log(100)]);
  });

  it('uses the latest counts of a post without snapshots, and clamps early stamps to age 0', () => {
    const post = makePost('a', '1', 7, {
      createdAt: '2024-05-01T10:00:00.000Z',
      observedAt: '2024-05-01T09:00:00.000Z',
    });

    expect(ageOf(post)).toBe(0);
    expect([...seriesOf(post).ages]).toEqual([0]);
    expect([...seriesOf(post).logs]).toEqual([Math.log(8)]);
  });

  it('keeps the later of two snapshots stamped at the same age', () => {
    const post = {
      ...makePost('a', '1', 5),
      snapshots: [
        { observedAt: '2024-05-01T12:00:00.000Z', counts: { ...NULL_COUNTS, likes: 3 } },
        { observedAt: '2024-05-01T12:00:00.000Z', counts: { ...NULL_COUNTS, likes: 4 } },
      ],
    };

    expect([...seriesOf(post).logs]).toEqual([Math.log(5)]);
  });
});

describe('valueAtAge', () => {
  const post = makeHistory('a', '1', [
    [4, 9],
    [9, 99],
    [30, 400],
  ]);
  const series = seriesOf(post);

  it('interpolates linearly in log(age) between the snapshots around the age', () => {
    // 6 h sits halfway between 4 h and 9 h in log(age): ln(6/4) / ln(9/4) = 1/2.
    expect(valueAtAge(series, 6 * HOUR_MS, 1.5)).toBeCloseTo(
      (Math.log(10) + Math.log(100)) / 2,
      12,
    );
    expect(readAtAge(series, 6 * HOUR_MS, 1.5)).toMatchObject({ from: 0, to: 1 });
  });

  it('returns a snapshot at exactly the age as it is', () => {
    expect(readAtAge(series, 9 * HOUR_MS, 1.5)).toEqual({ value: Math.log(100), from: 1, to: 1 });
  });

  it('uses the one snapshot within the tolerance when the other side is too far', () => {
    // 12 h: 9 h is within 1.5x, 30 h is not.
    expect(readAtAge(series, 12 * HOUR_MS, 1.5)).toEqual({ value: Math.log(100), from: 1, to: 1 });
    // 3 h: 4 h is within 1.5x and there is nothing before it.
    expect(valueAtAge(series, 3 * HOUR_MS, 1.5)).toBe(Math.log(10));
  });

  it('gives null when no snapshot is near the age, and never extrapolates', () => {
    expect(valueAtAge(series, 2 * HOUR_MS, 1.5)).toBeNull();
    expect(valueAtAge(series, 18 * HOUR_MS, 1.5)).toBeNull();
    expect(valueAtAge(series, 100 * HOUR_MS, 1.5)).toBeNull();
    expect(valueAtAge(series, 0, 1.5)).toBeNull();
    expect(valueAtAge(seriesOf(makeHistory('a', '2', [])), HOUR_MS, 1.5)).toBeNull();
  });

  it('needs both neighbours within the tolerance to interpolate', () => {
    // 20 h: 30 h is within 1.5x but 9 h is not, so the 30 h reading is used as it is.
    expect(valueAtAge(series, 20 * HOUR_MS, 1.5)).toBe(Math.log(401));
    // A wider tolerance lets 9 h in, and the two are interpolated.
    const weight = Math.log(20 / 9) / Math.log(30 / 9);
    expect(valueAtAge(series, 20 * HOUR_MS, 3)).toBeCloseTo(
      Math.log(100) + weight * (Math.log(401) - Math.log(100)),
      12,
    );
  });
});
