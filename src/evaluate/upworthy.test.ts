import { describe, expect, it } from 'vitest';
import { dataPath, hasData, SKIP_NOTE } from '../../test/support/data.ts';
import { simulateTest } from './bandit-sim.ts';
import type { SimulationOptions } from './bandit-sim.ts';
import { renderUpworthy } from './render.ts';
import { loadHeadlineTests } from './upworthy-data.ts';
import { evaluateUpworthy } from './upworthy.ts';

const DATA_DIR = dataPath('upworthy/ains-arch-upworthy-hierarchy');
const OPTIONS: SimulationOptions = {
  seed: 1,
  batchSizes: [1, 100, 1_000],
  priorAlpha: 1,
  priorBeta: 1,
  discount: 1,
  epsilon: 0.1,
  exploreShare: 0.1,
};

describe.skipIf(!hasData)(`flywheel evaluate upworthy${SKIP_NOTE}`, () => {
  it('replays the first 3 tests with figures derived by hand from the CSV rows', async () => {
    const report = await evaluateUpworthy({ ...OPTIONS, dataDir: DATA_DIR, limit: 3, workers: 1 });
    const row = (policy: string, batch: number | null) =>
      report.rows.find((r) => r.policy === policy && r.batch === batch)!;

    // Impressions 2629+2661+2539+2551, 1986+2003+1951+1950+1907, 5210+5363; clicks likewise.
    expect([report.tests, report.impressions, report.realClicks]).toEqual([3, 30_750, 522]);
    // The oracle shows each test's best arm all the time: budget * its rate.
    const oracle = 10_380 * (68 / 2629) + 9_797 * (44 / 1986) + 10_573 * (103 / 5210);
    expect(row('oracle', null).expectedClicks).toBeCloseTo(oracle, 9);
    expect([row('oracle', null).regret, row('oracle', null).gapCaptured]).toEqual([0, 1]);
    expect(row('uniform', null).gapCaptured).toBe(0);
    expect(row('uniform', null).mostPlayedBest).toBeNull();
    for (const r of report.rows) {
      expect(r.regret).toBeCloseTo(oracle - r.expectedClicks, 9);
      // Drawn clicks stay within 4 binomial standard deviations of the policy's expected clicks.
      expect(Math.abs(r.clicks - r.expectedClicks)).toBeLessThan(4 * Math.sqrt(r.expectedClicks));
    }

    // The simulated clicks, pinned for seed 1. They follow from the seeded streams alone (each
    // test's from the seed and its id), so any change to a policy, the sampler or the streams
    // shows here; the hand-derived checks above and in bandit-sim.test.ts say they are right.
    expect(report.rows.map((r) => [r.policy, r.batch, r.clicks])).toEqual(PINNED_CLICKS);
  });

  it('gives uniform allocation the equal split: 2,595 impressions per arm in the first test', async () => {
    const { tests } = await loadHeadlineTests(DATA_DIR);
    const first = simulateTest(tests[0]!, OPTIONS);
    const uniform = first.results.find((r) => r.policy === 'uniform')!;

    expect(uniform.expectedClicks).toBeCloseTo(
      2_595 * (68 / 2629 + 63 / 2661 + 49 / 2539 + 39 / 2551),
      9,
    );
  });

  it('finds the same figures with 2 worker threads as in one thread', async () => {
    const options = { ...OPTIONS, batchSizes: [100], dataDir: DATA_DIR, limit: 60 };
    const one = await evaluateUpworthy({ ...options, workers: 1 });
    const two = await evaluateUpworthy({ ...options, workers: 2 });

    expect(two.rows).toEqual(one.rows);
    expect(two.options.workers).toBe(2);
    // The first 60 rows of n_matrix.csv add up to 733,124 impressions.
    expect(renderUpworthy(two)).toContain('60 headline tests, 733,124 impressions');
  });
});

const PINNED_CLICKS: Array<[string, number | null, number]> = [
  ['uniform', null, 533],
  ['thompson', 1, 673],
  ['thompson', 100, 669],
  ['thompson', 1_000, 663],
  ['epsilon-greedy', 1, 635],
  ['epsilon-greedy', 100, 669],
  ['epsilon-greedy', 1_000, 660],
  ['explore-then-commit', 1, 584],
  ['explore-then-commit', 100, 584],
  ['explore-then-commit', 1_000, 583],
  ['oracle', null, 707],
];
