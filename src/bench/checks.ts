/**
 * Holds a bench result to its requirements (a failure makes the command exit 1) and reports it
 * against its targets (reported only). Each check names what it measured, the value, the limit
 * and whether it passed; a check that does not apply is left out rather than passed.
 */
import type { Goals, Requirements } from './scenario.ts';
import type { ScrapeFloor } from './limits.ts';
import type { TargetSummary } from './summary.ts';

/** One line of the requirements check. */
export interface Check {
  /** What is held to a limit, e.g. `faster than naive`. */
  name: string;
  /** The target or part measured: `scrape`, `run`, `import 1,000,000 posts`. */
  subject: string;
  actual: string;
  limit: string;
  isPass: boolean;
}

const MB = 1_000_000;

/** The scrape's wall time against its floor. */
export interface FloorFigures extends ScrapeFloor {
  medianMs: number;
  ratio: number;
}

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;
const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;
const ms = (value: number): string => `${Math.round(value)} ms`;

/**
 * The requirements: every run succeeded; at least `minImprovement` faster than naive where the
 * network is on the path; peak RSS under `maxPeakRssMb` in every optimised run; reuse of at least
 * `minReuse` for the whole run and each warm pass that made requests; p99 wall time within the
 * limit of the target's kind.
 */
export function checkRequirements(
  targets: readonly TargetSummary[],
  requirements: Requirements,
): Check[] {
  const checks: Check[] = [];
  for (const target of targets) {
    const name = target.target;
    const failures = [...target.naive.failures, ...target.optimized.failures];
    checks.push({
      name: 'every run succeeded',
      subject: name,
      actual: failures.length === 0 ? 'all' : `${failures.length} failed: ${failures[0]}`,
      limit: 'all',
      isPass: failures.length === 0,
    });
    if (target.isNetwork && target.improvement !== null) {
      checks.push({
        name: 'faster than naive',
        subject: name,
        actual: percent(target.improvement),
        limit: `>= ${percent(requirements.minImprovement)}`,
        isPass: target.improvement >= requirements.minImprovement,
      });
    }
    const peak = target.optimized.peakRssBytes.max;
    checks.push({
      name: 'peak RSS',
      subject: name,
      actual: mb(peak),
      limit: `< ${requirements.maxPeakRssMb} MB`,
      isPass: peak < requirements.maxPeakRssMb * MB,
    });
    checks.push(...reuseChecks(target, requirements.minReuse));
    const limit = requirements.p99Ms[target.kind];
    checks.push({
      name: `p99 wall (${target.kind})`,
      subject: name,
      actual: ms(target.optimized.wallMs.p99),
      limit: `<= ${ms(limit)}`,
      isPass: target.optimized.wallMs.p99 <= limit,
    });
  }

  return checks;
}

function reuseChecks(target: TargetSummary, minReuse: number): Check[] {
  const checks: Check[] = [];
  const { optimized } = target;
  if (target.target === 'run' && optimized.reuse !== null) {
    checks.push({
      name: 'connection reuse',
      subject: 'run',
      actual: percent(optimized.reuse),
      limit: `>= ${percent(minReuse)}`,
      isPass: optimized.reuse >= minReuse,
    });
  }
  const warm = optimized.warm;
  if (warm !== undefined && warm.reuse !== null) {
    checks.push({
      name: 'connection reuse, warm pool',
      subject: target.target,
      actual: percent(warm.reuse),
      limit: `>= ${percent(minReuse)}`,
      isPass: warm.reuse >= minReuse,
    });
  }

  return checks;
}

/**
 * The targets: at least `minSpeedup` faster where the network is on the path; exactly the
 * expected connections cold and none warm; requests within `maxRequestRatio` of the minimum; the
 * scrape within `maxFloorRatio` of its floor; peak RSS within `maxRssAboveFloorMb` of the floor.
 */
export function checkGoals(
  targets: readonly TargetSummary[],
  goals: Goals,
  floor: FloorFigures | undefined,
): Check[] {
  const checks: Check[] = [];
  for (const target of targets) {
    const name = target.target;
    const { optimized } = target;
    if (target.isNetwork && target.speedup !== null) {
      checks.push({
        name: 'speed-up over naive',
        subject: name,
        actual: `${target.speedup.toFixed(2)}x`,
        limit: `>= ${goals.minSpeedup}x`,
        isPass: target.speedup >= goals.minSpeedup,
      });
    }
    if (optimized.requests > 0) {
      checks.push({
        name: 'connections, cold pool',
        subject: name,
        actual: String(optimized.connections),
        limit: `= ${target.expectedConnections.cold}`,
        isPass: optimized.connections === target.expectedConnections.cold,
      });
    }
    if (optimized.warm !== undefined && optimized.warm.requests > 0) {
      checks.push({
        name: 'connections, warm pool',
        subject: name,
        actual: String(optimized.warm.connections),
        limit: '= 0',
        isPass: optimized.warm.connections === 0,
      });
    }
    if (target.requestRatio !== null) {
      checks.push({
        name: 'requests / minimum',
        subject: name,
        actual: `${optimized.requests} / ${target.minimumRequests} = ${target.requestRatio.toFixed(3)}`,
        limit: `<= ${goals.maxRequestRatio}`,
        isPass: target.requestRatio <= goals.maxRequestRatio,
      });
    }
    checks.push({
      name: 'peak RSS above floor',
      subject: name,
      actual: mb(optimized.rssAboveFloorBytes),
      limit: `<= ${goals.maxRssAboveFloorMb} MB`,
      isPass: optimized.rssAboveFloorBytes <= goals.maxRssAboveFloorMb * MB,
    });
  }
  if (floor !== undefined) {
    checks.push({
      name: 'wall / critical-path floor',
      subject: 'scrape',
      actual: `${ms(floor.medianMs)} / ${ms(floor.floorMs)} = ${floor.ratio.toFixed(2)}x`,
      limit: `<= ${goals.maxFloorRatio}x`,
      isPass: floor.ratio <= goals.maxFloorRatio,
    });
  }

  return checks;
}
