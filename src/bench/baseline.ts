/**
 * `--baseline FILE`: holds this result to an earlier one, like a benchmark gate in CI. A
 * regression is a figure that got worse beyond the threshold: the optimised/naive time ratio
 * (measured within one run, so it carries little of the machine's load), the optimised peak RSS
 * above its floor, and any increase in requests or connections (exact counts). Absolute wall
 * times are shown but not judged: they move with whatever else the machine is doing.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.ts';
import { RESULT_VERSION, type BenchResult } from './result.ts';
import type { TargetSummary } from './summary.ts';

/** The figures compared, per target. */
export type ComparedFigure =
  'time ratio' | 'wall median' | 'RSS above floor' | 'requests' | 'connections';

/** One figure of one target, then and now. */
export interface BaselineRow {
  target: string;
  figure: ComparedFigure;
  before: number;
  after: number;
  /** after / before - 1; null when before is 0. */
  change: number | null;
  /** Whether this figure is judged (absolute times are not). */
  isJudged: boolean;
  isRegression: boolean;
}

/** This result against a baseline. */
export interface BaselineComparison {
  file: string;
  createdAt: string;
  /** Largest worsening accepted, as a fraction (0.25 = 25%). */
  threshold: number;
  /** Whether both results ran the same scenario (else the comparison says little). */
  isSameScenario: boolean;
  rows: BaselineRow[];
  regressions: number;
}

/**
 * Compares figure by figure. Counts regress on any increase; ratios and memory above the
 * threshold; RSS moves of under 2 MB are noise whatever the threshold.
 */
export function compareWithBaseline(
  current: Pick<BenchResult, 'targets' | 'scenario'>,
  baseline: Pick<BenchResult, 'targets' | 'scenario' | 'createdAt'>,
  threshold: number,
  file = 'baseline',
): BaselineComparison {
  const rows: BaselineRow[] = [];
  const earlier = new Map(baseline.targets.map((target) => [target.target, target]));
  for (const now of current.targets) {
    const before = earlier.get(now.target);
    if (before !== undefined) rows.push(...compareTarget(before, now, threshold));
  }

  return {
    file,
    createdAt: baseline.createdAt,
    threshold,
    isSameScenario: sameScenario(current.scenario, baseline.scenario),
    rows,
    regressions: rows.filter((row) => row.isRegression).length,
  };
}

const RSS_NOISE_BYTES = 2_000_000;

function compareTarget(
  before: TargetSummary,
  after: TargetSummary,
  threshold: number,
): BaselineRow[] {
  const row = (
    figure: ComparedFigure,
    old: number | null,
    now: number | null,
    isWorse: (old: number, now: number) => boolean,
    isJudged = true,
  ): BaselineRow[] => {
    if (old === null || now === null) return [];
    const regression = isJudged && isWorse(old, now);
    return [
      {
        target: after.target,
        figure,
        before: old,
        after: now,
        change: old === 0 ? null : now / old - 1,
        isJudged,
        isRegression: regression,
      },
    ];
  };
  const beyond = (old: number, now: number) => now > old * (1 + threshold);

  return [
    ...row('time ratio', before.medianRatio, after.medianRatio, beyond),
    ...row(
      'wall median',
      before.optimized.wallMs.median,
      after.optimized.wallMs.median,
      beyond,
      false,
    ),
    ...row(
      'RSS above floor',
      before.optimized.rssAboveFloorBytes,
      after.optimized.rssAboveFloorBytes,
      (old, now) => now - old > RSS_NOISE_BYTES && beyond(Math.max(old, 0), now),
    ),
    ...row(
      'requests',
      before.optimized.requests,
      after.optimized.requests,
      (old, now) => now > old,
    ),
    ...row(
      'connections',
      before.optimized.connections,
      after.optimized.connections,
      (old, now) => now > old,
    ),
  ];
}

function sameScenario(a: BenchResult['scenario'], b: BenchResult['scenario']): boolean {
  // Pairs and the scale settings change how much is measured, not what.
  const strip = (scenario: BenchResult['scenario']) => ({
    ...scenario,
    pairs: 0,
    targets: [],
    scale: null,
    requirements: null,
    goals: null,
  });
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

/** Reads an earlier `--json` result; raises ConfigError when it is missing or not one. */
export async function readBaseline(file: string): Promise<BenchResult> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not valid JSON';
    throw new ConfigError(`--baseline ${file}: ${reason}`, { cause: error });
  }
  const result = parsed as Partial<BenchResult> | null;
  if (result?.version !== RESULT_VERSION || !Array.isArray(result.targets)) {
    throw new ConfigError(
      `--baseline ${file}: not a flywheel bench result of version ${RESULT_VERSION} (write one with --json)`,
    );
  }

  return result as BenchResult;
}
