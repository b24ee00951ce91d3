import { describe, expect, it } from 'vitest';
import { createRng } from '../../stats/index.ts';
import { buildArmTable, probabilityBest, recommend } from './sampler.ts';

const STATES = [
  { arm: 'hook=question', successes: 50, failures: 5 },
  { arm: 'hook=statement', successes: 5, failures: 50 },
  { arm: 'hook=quote', successes: 10, failures: 10 },
  { arm: 'media=video', successes: 3, failures: 3 },
  { arm: 'media=none', successes: 2, failures: 4 },
];

describe('buildArmTable', () => {
  it('adds the prior to the counts and groups arms by feature', () => {
    const table = buildArmTable(STATES, 1, 2);
    expect(table.posteriors[0]).toEqual({
      arm: 'hook=question',
      feature: 'hook',
      value: 'question',
      successes: 50,
      failures: 5,
      alpha: 51,
      beta: 7,
      mean: 51 / 58,
    });
    expect(Array.from(table.alphas)).toEqual([51, 6, 11, 4, 3]);
    expect(Array.from(table.betas)).toEqual([7, 52, 12, 5, 6]);
    expect([...table.groups]).toEqual([
      ['hook', [0, 1, 2]],
      ['media', [3, 4]],
    ]);
  });

  it('clamps negative counts to the prior', () => {
    const table = buildArmTable([{ arm: 'a=1', successes: -3, failures: 2 }], 1, 1);
    expect([table.alphas[0], table.betas[0]]).toEqual([1, 3]);
  });
});

describe('probabilityBest', () => {
  it('gives the clearly best arm a probability above 0.9', () => {
    const table = buildArmTable(STATES, 1, 1);
    const { withinGroup, overall } = probabilityBest(table, 2000, createRng(1));
    expect(withinGroup[0]).toBeGreaterThan(0.9);
    expect(overall[0]).toBeGreaterThan(0.9);
  });

  it('sums to 1 within each feature and overall', () => {
    const table = buildArmTable(STATES, 1, 1);
    const { withinGroup, overall } = probabilityBest(table, 1000, createRng(2));
    expect(withinGroup[0]! + withinGroup[1]! + withinGroup[2]!).toBeCloseTo(1, 12);
    expect(withinGroup[3]! + withinGroup[4]!).toBeCloseTo(1, 12);
    expect(overall.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 12);
  });

  it('is empty without arms', () => {
    const { withinGroup } = probabilityBest(buildArmTable([], 1, 1), 100, createRng(1));
    expect(withinGroup).toHaveLength(0);
  });
});

describe('recommend', () => {
  it('picks one value per feature per slot with its propensity', () => {
    const table = buildArmTable(STATES, 1, 1);
    const rng = createRng(3);
    const { withinGroup } = probabilityBest(table, 2000, rng);
    const recommendations = recommend(table, 4, withinGroup, rng, 1 / 4000);

    expect(recommendations.map((r) => r.slot)).toEqual([0, 1, 2, 3]);
    for (const rec of recommendations) {
      expect(Object.keys(rec.patterns)).toEqual(['hook', 'media']);
      expect(rec.choices.map((c) => c.feature)).toEqual(['hook', 'media']);
      expect(rec.propensity).toBeCloseTo(rec.propensities.hook! * rec.propensities.media!, 12);
      for (const choice of rec.choices) expect(choice.propensity).toBeGreaterThanOrEqual(1 / 4000);
    }
    expect(
      recommendations.filter((r) => r.patterns.hook === 'question').length,
    ).toBeGreaterThanOrEqual(3);
  });

  it('records as propensity the frequency with which Thompson sampling picks each arm', () => {
    const table = buildArmTable(STATES, 1, 1);
    const rng = createRng(4);
    const { withinGroup } = probabilityBest(table, 20_000, rng);
    const slots = 1_000;
    const recommendations = recommend(table, slots, withinGroup, rng);

    for (const [index, posterior] of table.posteriors.entries()) {
      const picked = recommendations.filter(
        (r) => r.patterns[posterior.feature] === posterior.value,
      ).length;
      const p = withinGroup[index]!;
      // Five standard errors of a proportion over 1,000 slots, plus the estimate's own error.
      expect(Math.abs(picked / slots - p)).toBeLessThan(
        5 * Math.sqrt((p * (1 - p)) / slots) + 0.01,
      );
    }
  });

  it('repeats itself for a seed', () => {
    const table = buildArmTable(STATES, 1, 1);
    const run = (seed: number) => {
      const rng = createRng(seed);
      return recommend(table, 5, probabilityBest(table, 500, rng).withinGroup, rng);
    };
    expect(run(9)).toEqual(run(9));
  });
});
