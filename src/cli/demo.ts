/** `flywheel demo`: the simulator plus a whole run against it, with the embedded defaults. */
import { rm } from 'node:fs/promises';
import { validateConfig } from '../config/index.ts';
import { runFlywheel } from '../pipeline/flywheel.ts';
import { startSimulator, type Simulator } from '../sim/index.ts';
import type { AppConfig } from '../config/schema.ts';
import {
  checkOutputs,
  createCliLogger,
  emitReport,
  exitCodeFor,
  onInterrupt,
  perPlatform,
  progressPrinter,
  type CommonFlags,
} from './common.ts';
import { FLAG_RANGES, durationFlag, wholeFlag } from './flags.ts';

export interface DemoFlags extends CommonFlags {
  seed: string;
  accounts: string;
  latency: string;
  /** Runs in a row, on a simulated clock; the report is the last run's. Default 1. */
  runs?: string;
  /** Simulated time between runs, e.g. "3h". Default 3h. */
  every?: string;
}

/** The run count and simulated interval of `--runs` and `--every`. */
export function demoSchedule(flags: Pick<DemoFlags, 'runs' | 'every'>): {
  runs: number;
  everyMs: number;
} {
  return {
    runs: wholeFlag('runs', flags.runs ?? '1', { min: 1, max: 1000 }),
    everyMs: durationFlag('every', flags.every ?? '3h', { min: 1 }),
  };
}

/** The simulator settings of the demo's flags; raises ConfigError naming a bad flag. */
export function demoSimFlags(flags: Pick<DemoFlags, 'seed' | 'accounts' | 'latency'>): {
  seed: number;
  accounts: number;
  latencyMs: number;
} {
  return {
    seed: wholeFlag('seed', flags.seed, FLAG_RANGES.seed),
    accounts: wholeFlag('accounts', flags.accounts, FLAG_RANGES.accounts),
    latencyMs: durationFlag('latency', flags.latency, FLAG_RANGES.latencyMs),
  };
}

/** The demo store is recreated on every demo so its report is repeatable. */
export const DEMO_STORE = '.flywheel/demo.sqlite';

/** The config of a demo run against a running simulator. */
export function demoConfig(
  sim: Simulator,
  options: { storePath: string; seed: number; profile?: string; isRepeated?: boolean },
): AppConfig {
  return validateConfig(
    {
      ...sim.config(),
      ...(options.profile ? { profile: options.profile } : {}),
      store: { path: options.storePath },
      thompson: { seed: options.seed },
      // Repeated runs share one process, whose resident memory only grows from run to run (the
      // simulator keeps every post it served): comparing one run's peak with the earlier runs'
      // would flag that growth, not the task's, so memory is left out of the verdicts. Durations
      // are still compared.
      ...(options.isRepeated
        ? { metrics: { history: { minMemoryChangeBytes: Number.MAX_SAFE_INTEGER } } }
        : {}),
    },
    'demo config',
  );
}

/** The simulator accepts any credentials; never send the user's real ones to it. */
export const SIM_CREDENTIALS = {
  REDDIT_CLIENT_ID: 'flywheel-sim',
  REDDIT_CLIENT_SECRET: 'flywheel-sim',
  YOUTUBE_API_KEY: 'flywheel-sim',
};

export async function runDemo(flags: DemoFlags): Promise<number> {
  const { runs, everyMs } = demoSchedule(flags);
  const { seed, accounts, latencyMs } = demoSimFlags(flags);
  const storePath = flags.store ?? DEMO_STORE;
  checkOutputs(flags, storePath);
  // Several runs share one simulated clock, so posts age (and their counts grow) between them:
  // run k starts at start + (k - 1) * every, and time then passes as it really does.
  const start = Date.now();
  let runStart = start;
  let realStart = start;
  const clock = () => runStart + (Date.now() - realStart);
  const sim = await startSimulator({
    seed,
    accounts: perPlatform(accounts),
    latencyMs,
    ...(runs > 1 ? { startTime: start, now: clock } : {}),
  });
  const interrupt = onInterrupt();
  try {
    if (flags.store === undefined) {
      // With its WAL and shared-memory files: a stale WAL would be replayed into the new file.
      await Promise.all(
        ['', '-wal', '-shm'].map((suffix) => rm(`${storePath}${suffix}`, { force: true })),
      );
    }
    const config = demoConfig(sim, {
      storePath,
      seed,
      isRepeated: runs > 1,
      ...(flags.profile ? { profile: flags.profile } : {}),
    });

    if (!flags.quiet) process.stderr.write(`simulator on ${sim.url} (seed ${seed})\n`);
    const logger = createCliLogger(flags.logLevel, { format: flags.logFormat });
    let outcome = await runFlywheel({
      config,
      env: { ...process.env, ...SIM_CREDENTIALS },
      logger,
      onProgress: progressPrinter(flags.quiet),
      signal: interrupt.signal,
      ...(runs > 1 ? { now: () => new Date(clock()) } : {}),
    });
    for (let run = 2; run <= runs && !interrupt.signal.aborted; run++) {
      runStart = start + (run - 1) * everyMs;
      realStart = Date.now();
      if (!flags.quiet) process.stderr.write(`run ${run} of ${runs}\n`);
      outcome = await runFlywheel({
        config,
        env: { ...process.env, ...SIM_CREDENTIALS },
        logger,
        signal: interrupt.signal,
        now: () => new Date(clock()),
      });
    }
    await emitReport(outcome.report, flags);
    return interrupt.exitCode(exitCodeFor(outcome.report));
  } finally {
    interrupt.dispose();
    await sim.close();
  }
}
