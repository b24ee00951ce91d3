/**
 * `flywheel bench`, the measurement: starts the simulator on the scenario, prepares the store
 * each operator starts from (the state a real run leaves before it), then measures every target
 * naive and optimised in turns, A B A B, each run in a fresh child process, plus children that
 * only load the modules (the memory floor). The summaries, limits and checks follow.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../config/index.ts';
import { runFlywheel } from '../pipeline/flywheel.ts';
import type { TaskName } from '../pipeline/types.ts';
import { startSimulator, type Simulator } from '../sim/index.ts';
import { checkGoals, checkRequirements, type FloorFigures } from './checks.ts';
import { prepareChildren, runChild, type ChildCommand, type Runtime } from './children.ts';
import { sampleStats, type SampleStats } from './figures.ts';
import { scrapeFloor, type AccountPlan, type LimitInputs } from './limits.ts';
import { RESULT_VERSION, describeMachine, type BenchResult } from './result.ts';
import { pageSize, type Scenario } from './scenario.ts';
import { summarizeTarget, type ChildRun, type TargetSummary } from './summary.ts';
import type { BenchTarget, ChildJob, MeasureJob, Variant } from './types.ts';

/** Options of `runBench`. */
export interface BenchOptions {
  /** How children run. Default: `compiled`. */
  runtime?: Runtime;
  /** Progress lines (stderr in the CLI). Default: none. */
  onProgress?: (line: string) => void;
  /** Longest a child may run, ms. Default: 600000. */
  childTimeoutMs?: number;
  /** How to start children, when the caller prepared it already. Default: `prepareChildren`. */
  command?: ChildCommand;
}

/** The state each target starts from: no store, or the store as the tasks before it left it. */
const START_STATE: Record<BenchTarget, State> = {
  health: 'empty',
  scrape: 'empty',
  engine: 'scraped',
  thompson: 'scored',
  metrics: 'learned',
  run: 'empty',
};
type State = 'empty' | 'scraped' | 'scored' | 'learned';

/** What starting children needs. */
export interface ChildSession {
  scenario: Scenario;
  command: ChildCommand;
  /** The folder of the stores, job and result files. */
  work: string;
  clockStartMs: number;
  timeoutMs: number;
  progress: (line: string) => void;
  /** Numbers each child's files. */
  sequence: number;
}

/** Everything the measuring loop shares. */
export interface BenchContext extends ChildSession {
  sim: Simulator;
  /** The config as a user would write it, without profile and store. */
  config: Record<string, unknown>;
}

/** The simulator options of a scenario, with `accounts` per platform. */
export function simOptions(scenario: Scenario, accounts: Scenario['accounts'] = scenario.accounts) {
  const startMs = Date.parse(scenario.startTime);
  return {
    seed: scenario.seed,
    accounts: { bluesky: 0, mastodon: 0, reddit: 0, youtube: 0, hackernews: 0, ...accounts },
    postsPerAccount: scenario.posts,
    latencyMs: scenario.latencyMs,
    connectLatencyMs: scenario.connectLatencyMs,
    faults: { rate: scenario.faultRate },
    services: scenario.services,
    startTime: startMs,
    // A frozen clock: counts do not grow while the bench runs, so every run reads the same bytes.
    now: () => startMs,
  };
}

/** The Flywheel config of a scenario against `sim`: its accounts read in `pages` pages. */
export function benchConfig(sim: Simulator, scenario: Scenario): Record<string, unknown> {
  const base = sim.config();
  const size = pageSize(scenario);
  const config: Record<string, unknown> = {
    platforms: base.platforms,
    accounts: base.accounts.map((account) => ({ ...account, pageSize: size })),
    services: base.services,
    // One page more than needed: a listing whose full last page stays open ends on an empty one.
    scrape: { concurrency: scenario.concurrency, maxPages: scenario.pages + 1 },
    http: { connections: scenario.connections },
    thompson: { seed: scenario.seed },
  };

  return merge(config, scenario.config);
}

function merge(
  base: Record<string, unknown>,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    const isTree = (item: unknown): item is Record<string, unknown> =>
      typeof item === 'object' && item !== null && !Array.isArray(item);
    out[key] = isTree(current) && isTree(value) ? merge(current, value) : value;
  }

  return out;
}

/** The scenario's accounts as the limits see them. */
export function limitInputs(sim: Simulator, scenario: Scenario): LimitInputs {
  const size = pageSize(scenario);
  const accounts: AccountPlan[] = sim.config().accounts.map((account) => ({
    platform: account.platform,
    posts: scenario.posts,
    pageSize: size,
    // The simulator configures its first Mastodon account by name, the others by numeric id.
    isNamed: account.platform === 'mastodon' && !/^\d+$/.test(account.id),
  }));

  return {
    accounts,
    services: scenario.services,
    concurrency: scenario.concurrency,
    connections: scenario.connections,
  };
}

/** Runs the tasks one by one on the optimised profile, keeping a copy of the store after each. */
async function prepareStates(context: BenchContext): Promise<Record<State, string | null>> {
  const path = join(context.work, 'prepare.sqlite');
  const config = validateConfig(
    { ...context.config, profile: 'optimized', store: { path } },
    'bench config',
  );
  const started = performance.now();
  const now = () => new Date(context.clockStartMs + (performance.now() - started));
  const states: Record<State, string | null> = {
    empty: null,
    scraped: null,
    scored: null,
    learned: null,
  };
  const steps: Array<[TaskName, State | null]> = [
    ['health', null],
    ['scrape', 'scraped'],
    ['engine', 'scored'],
    ['thompson', 'learned'],
  ];
  for (const [task, state] of steps) {
    const { result } = await runFlywheel({ config, env: context.sim.env(), now, only: [task] });
    const failed = result.tasks.find((entry) => entry.status !== 'succeeded');
    if (failed !== undefined) {
      throw new Error(`preparing the bench store: ${task} ${failed.status}: ${failed.error}`);
    }
    if (state !== null) {
      states[state] = join(context.work, `${state}.sqlite`);
      await copyFile(path, states[state]);
    }
  }
  context.clockStartMs += Math.ceil(performance.now() - started) + 1_000;

  return states;
}

async function removeStore(path: string): Promise<void> {
  await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${path}${suffix}`, { force: true })));
}

async function measureOnce(
  context: BenchContext,
  target: BenchTarget,
  profile: Variant,
  state: string | null,
): Promise<ChildRun> {
  const id = ++context.sequence;
  const coldStore = join(context.work, `run-${id}-cold.sqlite`);
  // The naive profile keeps no pool and no cache: a warm pass would only repeat the cold one.
  const isWarmed = profile === 'optimized';
  const warmStore = join(context.work, `run-${id}-warm.sqlite`);
  if (state !== null) {
    await copyFile(state, coldStore);
    if (isWarmed) await copyFile(state, warmStore);
  }
  const job: MeasureJob = {
    kind: 'measure',
    target,
    profile,
    config: context.config,
    env: context.sim.env(),
    coldStore,
    ...(isWarmed ? { warmStore } : {}),
    clockStartMs: context.clockStartMs,
    resultFile: join(context.work, `run-${id}.json`),
  };
  const before = context.sim.stats();
  const cpuBefore = process.cpuUsage();
  try {
    const { result, processMs } = await runChild(
      context.command,
      job,
      join(context.work, `job-${id}.json`),
      context.timeoutMs,
    );
    const after = context.sim.stats();
    const cpu = process.cpuUsage(cpuBefore);
    return {
      ...result,
      processMs,
      server: {
        requests: after.requests - before.requests,
        connections: after.connections - before.connections,
        cpuMs: (cpu.user + cpu.system) / 1_000,
      },
    };
  } finally {
    await Promise.all([removeStore(coldStore), removeStore(warmStore)]);
  }
}

/** Peak RSS of a child that loads the `modules` set and stops. */
export async function measureFloor(
  context: ChildSession,
  modules: 'pipeline' | 'store',
): Promise<number> {
  const id = ++context.sequence;
  const job: ChildJob = {
    kind: 'floor',
    modules,
    resultFile: join(context.work, `floor-${id}.json`),
  };
  const { result } = await runChild(
    context.command,
    job,
    join(context.work, `job-${id}.json`),
    context.timeoutMs,
  );

  return result.peakRssBytes;
}

const formatMs = (ms: number): string => `${Math.round(ms).toLocaleString('en-US')} ms`;

async function measureTarget(
  context: BenchContext,
  target: BenchTarget,
  state: string | null,
): Promise<Record<Variant, ChildRun[]>> {
  const runs: Record<Variant, ChildRun[]> = { naive: [], optimized: [] };
  const { pairs } = context.scenario;
  for (let pair = 1; pair <= pairs; pair++) {
    // A B, A B: each pair's naive run just before its optimised one.
    runs.naive.push(await measureOnce(context, target, 'naive', state));
    runs.optimized.push(await measureOnce(context, target, 'optimized', state));
    const a = runs.naive.at(-1)?.cold?.wallMs ?? 0;
    const b = runs.optimized.at(-1)?.cold?.wallMs ?? 0;
    context.progress(
      `  ${target} pair ${pair}/${pairs}: naive ${formatMs(a)}, optimized ${formatMs(b)}` +
        (a > 0 ? ` (B/A ${(b / a).toFixed(3)})` : ''),
    );
  }

  return runs;
}

/** The scrape's median against its floor, when the scrape was measured. */
export function floorFigures(
  scrape: TargetSummary | undefined,
  inputs: LimitInputs,
  scenario: Scenario,
): FloorFigures | undefined {
  if (scrape === undefined) return undefined;
  const floor = scrapeFloor(inputs, scenario.latencyMs, scenario.connectLatencyMs);
  const medianMs = scrape.optimized.wallMs.median;

  return { ...floor, medianMs, ratio: floor.floorMs === 0 ? 1 : medianMs / floor.floorMs };
}

function notesFor(targets: readonly TargetSummary[]): string[] {
  const notes: string[] = [];
  for (const target of targets) {
    for (const variant of ['naive', 'optimized'] as const) {
      const summary = target[variant];
      if (!summary.isSteady) {
        notes.push(
          `${target.target} ${variant}: requests or connections varied between runs (faults or retries); medians shown`,
        );
      }
      const client = summary.requests + (summary.warm?.requests ?? 0);
      if (summary.server.requests !== client) {
        notes.push(
          `${target.target} ${variant}: the simulator counted ${summary.server.requests} requests, the client ${client}`,
        );
      }
    }
  }

  return notes;
}

/** A work folder for the stores and job files, removed at the end. */
export async function withWorkDir<T>(body: (work: string) => Promise<T>): Promise<T> {
  const work = await mkdtemp(join(tmpdir(), 'flywheel-bench-'));
  try {
    return await body(work);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Measures the scenario's targets; the scale runs and the baseline are added by the caller. */
export async function runBench(
  scenario: Scenario,
  options: BenchOptions = {},
): Promise<BenchResult> {
  const progress = options.onProgress ?? (() => undefined);
  const command =
    options.command ??
    (await prepareChildren(options.runtime ?? 'compiled', progress, scenario.nodeOptions));
  const sim = await startSimulator(simOptions(scenario));

  try {
    return await withWorkDir(async (work) => {
      const context: BenchContext = {
        scenario,
        sim,
        command,
        work,
        config: benchConfig(sim, scenario),
        clockStartMs: Date.parse(scenario.startTime),
        timeoutMs: options.childTimeoutMs ?? 600_000,
        progress,
        sequence: 0,
      };
      // Fail on a bad config here, with its message, rather than in every child.
      validateConfig({ ...context.config, profile: 'naive' }, 'bench config (scenario.config)');
      progress(`simulator on ${sim.url}; preparing the stores the operators start from`);
      const states = await prepareStates(context);

      const floors: number[] = [];
      for (let index = 0; index < scenario.pairs; index++)
        floors.push(await measureFloor(context, 'pipeline'));
      const floor: SampleStats = sampleStats(floors);
      progress(
        `  import floor: ${(floor.median / 1e6).toFixed(1)} MB (median of ${floors.length})`,
      );

      const inputs = limitInputs(sim, scenario);
      const targets: TargetSummary[] = [];
      for (const target of scenario.targets) {
        const runs = await measureTarget(context, target, states[START_STATE[target]]);
        targets.push(summarizeTarget(target, runs, floor.median, inputs));
      }
      const scrapeFloorFigures = floorFigures(
        targets.find((target) => target.target === 'scrape'),
        inputs,
        scenario,
      );

      return {
        version: RESULT_VERSION,
        createdAt: new Date().toISOString(),
        machine: describeMachine([command.runtime, ...scenario.nodeOptions].join(' ')),
        scenario,
        floor,
        targets,
        ...(scrapeFloorFigures ? { scrapeFloor: scrapeFloorFigures } : {}),
        requirements: checkRequirements(targets, scenario.requirements),
        goals: checkGoals(targets, scenario.goals, scrapeFloorFigures),
        notes: notesFor(targets),
      };
    });
  } finally {
    await sim.close();
  }
}
