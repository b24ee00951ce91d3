import { describe, expect, it } from 'vitest';
import { createRandom, hashSeed } from './random.ts';

describe('Random', () => {
  it('repeats the same stream for the same seed and names', () => {
    const a = createRandom(42, 'bluesky', 1);
    const b = createRandom(42, 'bluesky', 1);
    const c = createRandom(42, 'bluesky', 2);
    const draws = (random: typeof a) => Array.from({ length: 5 }, () => random.next());

    const first = draws(a);

    expect(draws(b)).toEqual(first);
    expect(draws(c)).not.toEqual(first);
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true);
  });

  it('draws integers within bounds and log-normals around their median', () => {
    const random = createRandom(7);
    const ints = Array.from({ length: 2000 }, () => random.int(3, 5));
    const logs = Array.from({ length: 4001 }, () => random.logNormal(100, 0.6)).sort(
      (x, y) => x - y,
    );

    expect(new Set(ints)).toEqual(new Set([3, 4, 5]));
    expect(logs[2000]).toBeGreaterThan(90);
    expect(logs[2000]).toBeLessThan(110);
  });

  it('picks weighted keys in proportion', () => {
    const random = createRandom(1);
    const picks = Array.from({ length: 4000 }, () => random.weighted({ a: 3, b: 1 }));
    const share = picks.filter((pick) => pick === 'a').length / picks.length;

    expect(share).toBeGreaterThan(0.72);
    expect(share).toBeLessThan(0.78);
  });

  it('hashes names to stable 32-bit seeds', () => {
    expect(hashSeed('a', 1)).toBe(hashSeed('a', 1));
    expect(hashSeed('a', 1)).not.toBe(hashSeed('a', 2));
    expect(hashSeed('x')).toBeLessThan(2 ** 32);
  });
});
