import { describe, expect, it } from 'vitest';
import { createRng } from './random.ts';
import { orderStatistics } from './sample-select.ts';
import { selectInPlace, selectRanks } from './select.ts';

type Shape = (n: number, rng: () => number) => Float64Array;

const SHAPES: Record<string, Shape> = {
  random: (n, rng) => Float64Array.from({ length: n }, () => rng() * 1000),
  'few distinct': (n, rng) => Float64Array.from({ length: n }, () => Math.floor(rng() * 4)),
  sorted: (n) => Float64Array.from({ length: n }, (_, i) => i),
  reversed: (n) => Float64Array.from({ length: n }, (_, i) => n - i),
  'all equal': (n) => new Float64Array(n).fill(7),
  'organ pipe': (n) => Float64Array.from({ length: n }, (_, i) => Math.min(i, n - i)),
  'heavy tail': (n, rng) => Float64Array.from({ length: n }, () => 1 / (1 - rng()) ** 2),
};

function ranksOf(n: number): number[] {
  const wanted = [0, n >>> 1, (n >>> 1) + 1, Math.floor(n * 0.9), Math.floor(n * 0.99), n - 1];
  return [...new Set(wanted.filter((rank) => rank < n))].sort((a, b) => a - b);
}

describe('selectRanks', () => {
  for (const [shape, make] of Object.entries(SHAPES)) {
    it(`places every rank as a sort would on ${shape} input of many sizes`, () => {
      const rng = createRng(3);
      for (const n of [1, 2, 3, 23, 24, 25, 100, 601, 5_000]) {
        const values = make(n, rng);
        const sorted = Float64Array.from(values).sort();
        const ranks = ranksOf(n);

        selectRanks(values, ranks);

        for (const rank of ranks) expect(values[rank]).toBe(sorted[rank]);
        // Between two placed ranks sit exactly the values that belong there.
        for (let i = 0; i + 1 < ranks.length; i++) {
          const between = Array.from(values.subarray(ranks[i], ranks[i + 1])).sort((a, b) => a - b);
          expect(between).toEqual(Array.from(sorted.subarray(ranks[i], ranks[i + 1])));
        }
      }
    });
  }
});

describe('selectInPlace', () => {
  it('finds every rank of a random array with ties', () => {
    const rng = createRng(5);
    const values = Float64Array.from({ length: 2_000 }, () => Math.floor(rng() * 50));
    const sorted = Float64Array.from(values).sort();
    for (let k = 0; k < values.length; k += 37) {
      expect(selectInPlace(Float64Array.from(values), k)).toBe(sorted[k]);
    }
  });
});

describe('orderStatistics', () => {
  for (const [shape, make] of Object.entries(SHAPES)) {
    it(`is exact on ${shape} input through the sampled path`, () => {
      const values = make(120_000, createRng(9));
      const sorted = Float64Array.from(values).sort();
      const ranks = ranksOf(values.length);

      expect(orderStatistics(values, ranks, values.length)).toEqual(
        ranks.map((rank) => sorted[rank]),
      );
    });
  }

  it('skips NaN and keeps infinities in their places', () => {
    const rng = createRng(13);
    const values = Float64Array.from({ length: 80_000 }, (_, i) => {
      if (i % 10 === 0) return Number.NaN;
      if (i % 1001 === 0) return Number.POSITIVE_INFINITY;
      if (i % 1003 === 0) return Number.NEGATIVE_INFINITY;
      return rng();
    });
    const kept = values.filter((value) => !Number.isNaN(value)).sort();
    const ranks = ranksOf(kept.length);

    expect(orderStatistics(values, ranks, kept.length)).toEqual(ranks.map((rank) => kept[rank]));
  });

  it('stays exact when the sample brackets nothing (the fallback path)', () => {
    const values = Float64Array.from({ length: 1_000 }, (_, i) => (i * 7919) % 1000);
    const ranks = [10, 500, 990];

    // One sampled value and no margin: the brackets cannot hold the ranks.
    expect(orderStatistics(values, ranks, 1_000, { sampleSize: 1, directBelow: 0 })).toEqual([
      10, 500, 990,
    ]);
  });

  it('does not mutate its input', () => {
    const values = Float64Array.from({ length: 60_000 }, (_, i) => 60_000 - i);
    orderStatistics(values, [0, 30_000], values.length);
    expect(values[0]).toBe(60_000);
    expect(values[59_999]).toBe(1);
  });
});
