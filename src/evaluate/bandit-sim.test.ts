import { describe, expect, it } from 'vitest';
import { simulateTest } from './bandit-sim.ts';
import type { PolicyResult, SimulationOptions } from './bandit-sim.ts';
import type { HeadlineTest } from './upworthy-data.ts';

const OPTIONS: SimulationOptions = {
  seed: 1,
  batchSizes: [1, 100],
  priorAlpha: 1,
  priorBeta: 1,
  discount: 1,
  epsilon: 0.1,
  exploreShare: 0.1,
};

// Two arms with click rates 0.9 and 0.1, 1,000 impressions each: a budget of 2,000.
const CLEAR: HeadlineTest = {
  id: 'clear',
  impressions: Float64Array.from([1_000, 1_000]),
  clicks: Float64Array.from([900, 100]),
};

function find(results: PolicyResult[], policy: string, batch: number): PolicyResult {
  const result = results.find((r) => r.policy === policy && r.batch === batch);
  if (result === undefined) throw new Error(`no ${policy}@${batch}`);
  return result;
}

describe('simulateTest', () => {
  it('spends the real traffic: the oracle earns 0.9 per impression, uniform the mean rate', () => {
    const { results, budget, realClicks, arms } = simulateTest(CLEAR, OPTIONS);

    expect([budget, realClicks, arms]).toEqual([2_000, 1_000, 2]);
    // 2,000 * 0.9, and 1,000 impressions per arm: 1,000 * 0.9 + 1,000 * 0.1.
    expect(find(results, 'oracle', 0).expectedClicks).toBeCloseTo(1_800, 9);
    expect(find(results, 'uniform', 0).expectedClicks).toBeCloseTo(1_000, 9);
    expect(results.map((r) => `${r.policy}@${r.batch}`)).toEqual([
      'uniform@0',
      'oracle@0',
      'thompson@1',
      'epsilon-greedy@1',
      'explore-then-commit@1',
      'thompson@100',
      'epsilon-greedy@100',
      'explore-then-commit@100',
    ]);
  });

  it('lets every learning policy find an arm this much better', () => {
    const { results } = simulateTest(CLEAR, OPTIONS);
    for (const r of results.filter((x) => x.policy !== 'uniform')) {
      expect([r.policy, r.batch, r.isMostPlayedBest, r.isFinalPickBest]).toEqual([
        r.policy,
        r.batch,
        true,
        true,
      ]);
      expect(r.expectedClicks).toBeGreaterThan(1_500);
      expect(r.expectedClicks).toBeLessThanOrEqual(1_800 + 1e-9);
    }
  });

  it('explores the whole budget round-robin when the explore share is 1, as uniform does', () => {
    const { results } = simulateTest(CLEAR, { ...OPTIONS, exploreShare: 1 });
    const uniform = find(results, 'uniform', 0);
    const etc = find(results, 'explore-then-commit', 1);

    // Same plays on the same card streams: the same clicks too.
    expect([etc.expectedClicks, etc.clicks]).toEqual([uniform.expectedClicks, uniform.clicks]);
  });

  it('repeats itself for a seed, whatever other batch sizes run beside', () => {
    const both = simulateTest(CLEAR, OPTIONS).results;
    const alone = simulateTest(CLEAR, { ...OPTIONS, batchSizes: [100] }).results;

    expect(simulateTest(CLEAR, OPTIONS).results).toEqual(both);
    expect(find(alone, 'thompson', 100)).toEqual(find(both, 'thompson', 100));
    expect(find(alone, 'uniform', 0)).toEqual(find(both, 'uniform', 0));
    expect(simulateTest(CLEAR, { ...OPTIONS, seed: 2 }).results).not.toEqual(both);
  });

  it('shuffles the arms, so the first arm of the file gets no head start', () => {
    // Click rates 1 and 0 and a budget of 3: round-robin shows the first arm twice, so uniform
    // expects 2 clicks when the best arm comes first and 1 when it comes second.
    const test: HeadlineTest = {
      id: '',
      impressions: Float64Array.from([2, 1]),
      clicks: Float64Array.from([2, 0]),
    };
    const expected = new Map<number, number>();
    for (let i = 0; i < 40; i++) {
      const uniform = find(simulateTest({ ...test, id: `t${i}` }, OPTIONS).results, 'uniform', 0);
      expected.set(uniform.expectedClicks, (expected.get(uniform.expectedClicks) ?? 0) + 1);
    }

    expect([...expected.keys()].sort()).toEqual([1, 2]);
  });

  it('counts a tie for the best rate as the best arm', () => {
    const tie: HeadlineTest = {
      id: 'tie',
      impressions: Float64Array.from([500, 1_000]),
      clicks: Float64Array.from([50, 100]),
    };
    for (const r of simulateTest(tie, OPTIONS).results) expect(r.isFinalPickBest).toBe(true);
  });
});
