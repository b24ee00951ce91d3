/**
 * `flywheel evaluate upworthy`: Flywheel's Thompson sampling against uniform allocation,
 * epsilon-greedy, explore-then-commit and the oracle, on the Upworthy Research Archive's real
 * headline tests, each replayed with its real traffic as the budget.
 */
import { extname } from 'node:path';
import { BATCHLESS, POLICIES, simulateTest } from './bandit-sim.ts';
import type { PolicyName, SimulationOptions, TestResult } from './bandit-sim.ts';
import { loadHeadlineTests } from './upworthy-data.ts';
import type { HeadlineTests } from './upworthy-data.ts';
import { runInWorkers } from './workers.ts';

/** Options of `evaluateUpworthy`. */
export interface UpworthyOptions extends SimulationOptions {
  /** Folder with n_matrix.csv and y_matrix.csv. */
  dataDir: string;
  /** Only the first N tests of the file. Default: all. */
  limit?: number | undefined;
  /** Worker threads; 1 runs in this thread. Default 1. */
  workers?: number;
  /** Called as tests finish, with the number done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** One policy at one batch size, summed over the tests. */
export interface UpworthyRow {
  policy: PolicyName;
  /** Impressions per batch; null for uniform and oracle, which do not learn. */
  batch: number | null;
  clicks: number;
  expectedClicks: number;
  /** Oracle's expected clicks minus this policy's: clicks lost to learning. */
  regret: number;
  /** (policy - uniform) / (oracle - uniform) in expected clicks: 0 for uniform, 1 for oracle. */
  gapCaptured: number;
  /** Share of tests whose most-shown arm is the truly best; null for uniform (equal shares). */
  mostPlayedBest: number | null;
  /** Share of tests where the arm the policy would ship at the end is the truly best. */
  finalPickBest: number;
}

/** What `evaluateUpworthy` found. */
export interface UpworthyReport {
  dataset: 'upworthy';
  dataDir: string;
  options: Omit<UpworthyOptions, 'onProgress' | 'dataDir'>;
  tests: number;
  skipped: HeadlineTests['skipped'];
  impressions: number;
  /** Clicks the real tests got (their own, nearly uniform, allocation). */
  realClicks: number;
  rows: UpworthyRow[];
  elapsedMs: number;
}

function simulationOptions(options: UpworthyOptions): SimulationOptions {
  return {
    seed: options.seed,
    batchSizes: options.batchSizes,
    priorAlpha: options.priorAlpha,
    priorBeta: options.priorBeta,
    discount: options.discount,
    epsilon: options.epsilon,
    exploreShare: options.exploreShare,
  };
}

/** Sums the tests' results into one row per policy and batch size, in report order. */
export function summarize(
  results: readonly TestResult[],
  batchSizes: readonly number[],
): UpworthyRow[] {
  const sums = new Map<
    string,
    { clicks: number; expected: number; mostPlayed: number; finalPick: number }
  >();
  for (const test of results) {
    for (const r of test.results) {
      const key = `${r.policy}@${r.batch}`;
      const sum = sums.get(key) ?? { clicks: 0, expected: 0, mostPlayed: 0, finalPick: 0 };
      sum.clicks += r.clicks;
      sum.expected += r.expectedClicks;
      sum.mostPlayed += r.isMostPlayedBest ? 1 : 0;
      sum.finalPick += r.isFinalPickBest ? 1 : 0;
      sums.set(key, sum);
    }
  }
  const n = results.length;
  const oracle = sums.get('oracle@0')?.expected ?? 0;
  const uniform = sums.get('uniform@0')?.expected ?? 0;
  const gap = oracle - uniform;

  const rows: UpworthyRow[] = [];
  for (const policy of POLICIES) {
    const batches = BATCHLESS.has(policy) ? [0] : batchSizes;
    for (const batch of batches) {
      const sum = sums.get(`${policy}@${batch}`);
      if (sum === undefined) continue;
      rows.push({
        policy,
        batch: BATCHLESS.has(policy) ? null : batch,
        clicks: sum.clicks,
        expectedClicks: sum.expected,
        regret: oracle - sum.expected,
        // Every arm equal in every test leaves no gap: nothing to capture, and nothing lost.
        gapCaptured: gap > 0 ? (sum.expected - uniform) / gap : 1,
        mostPlayedBest: policy === 'uniform' || n === 0 ? null : sum.mostPlayed / n,
        finalPickBest: n === 0 ? 0 : sum.finalPick / n,
      });
    }
  }

  return rows;
}

/**
 * Replays the archive's tests and compares the policies.
 * @throws ConfigError when the data folder lacks its files; RangeError on bad options.
 * @example
 * const report = await evaluateUpworthy({ dataDir, seed: 1, batchSizes: [1, 100, 1000], ... });
 */
export async function evaluateUpworthy(options: UpworthyOptions): Promise<UpworthyReport> {
  const started = performance.now();
  const loaded = await loadHeadlineTests(options.dataDir);
  const tests = options.limit === undefined ? loaded.tests : loaded.tests.slice(0, options.limit);
  const simulation = simulationOptions(options);
  const workers = Math.max(1, Math.min(options.workers ?? 1, tests.length));

  let results: TestResult[];
  if (workers === 1) {
    results = tests.map((test, i) => {
      const result = simulateTest(test, simulation);
      if ((i + 1) % 50 === 0 || i + 1 === tests.length) options.onProgress?.(i + 1, tests.length);
      return result;
    });
  } else {
    results = await runInWorkers<TestResult>(
      // The same extension as this module: .ts under tsx, .js once built.
      new URL(`./upworthy-worker${extname(new URL(import.meta.url).pathname)}`, import.meta.url),
      { dataDir: options.dataDir, options: simulation },
      {
        total: tests.length,
        workers,
        chunk: 50,
        onChunk: (done) => options.onProgress?.(done, tests.length),
      },
    );
  }

  return {
    dataset: 'upworthy',
    dataDir: options.dataDir,
    options: { ...simulation, limit: options.limit, workers },
    tests: results.length,
    skipped: loaded.skipped,
    impressions: results.reduce((sum, r) => sum + r.budget, 0),
    realClicks: results.reduce((sum, r) => sum + r.realClicks, 0),
    rows: summarize(results, options.batchSizes),
    elapsedMs: performance.now() - started,
  };
}
