/** `flywheel demo`: the simulator plus a whole run against it, with the embedded defaults. */
import { rm } from 'node:fs/promises';
import { validateConfig } from '../config/index.ts';
import { runFlywheel } from '../pipeline/flywheel.ts';
import { startSimulator, type Simulator } from '../sim/index.ts';
import type { AppConfig } from '../config/schema.ts';
import { durationMs } from '../config/schema.ts';
import { ConfigError } from '../errors.ts';
import {
  createCliLogger,
  emitReport,
  exitCodeFor,
  perPlatform,
  progressPrinter,
  type CommonFlags,
} from './common.ts';

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
  const runs = Number(flags.runs ?? '1');
  if (!Number.isInteger(runs) || runs < 1 || runs > 1000) {
    throw new ConfigError(`--runs is "${flags.runs}"; expected a whole number from 1 to 1000`);
  }
  const every = durationMs.safeParse(flags.every ?? '3h');
  if (!every.success || every.data <= 0) {
    throw new ConfigError(`--every is "${flags.every}"; expected a duration such as "30m" or "3h"`);
  }

  return { runs, everyMs: every.data };
}

/** The demo store is recreated on every demo so its report is repeatable. */
export const DEMO_STORE = '.flywheel/demo.sqlite';

/** The config of a demo run against a running simulator. */
export function demoConfig(
  sim: Simulator,
  options: { storePath: string; seed: number; profile?: string },
): AppConfig {
  return validateConfig(
    {
      ...sim.config(),
      ...(options.profile ? { profile: options.profile } : {}),
      store: { path: options.storePath },
      thompson: { seed: options.seed },
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
  // Several runs share one simulated clock, so posts age (and their counts grow) between them:
  // run k starts at start + (k - 1) * every, and time then passes as it really does.
  const start = Date.now();
  let runStart = start;
  let realStart = start;
  const clock = () => runStart + (Date.now() - realStart);
  const sim = await startSimulator({
    seed: Number(flags.seed),
    accounts: perPlatform(Number(flags.accounts)),
    latencyMs: Number(flags.latency),
    ...(runs > 1 ? { startTime: start, now: clock } : {}),
  });
  try {
    const storePath = flags.store ?? DEMO_STORE;
    if (flags.store === undefined) await rm(storePath, { force: true });
    const config = demoConfig(sim, {
      storePath,
      seed: Number(flags.seed),
      ...(flags.profile ? { profile: flags.profile } : {}),
    });

    if (!flags.quiet) process.stderr.write(`simulator on ${sim.url} (seed ${flags.seed})\n`);
    const logger = createCliLogger(flags.logLevel);
    let outcome = await runFlywheel({
      config,
      env: { ...process.env, ...SIM_CREDENTIALS },
      logger,
      onProgress: progressPrinter(flags.quiet),
      ...(runs > 1 ? { now: () => new Date(clock()) } : {}),
    });
    for (let run = 2; run <= runs; run++) {
      runStart = start + (run - 1) * everyMs;
      realStart = Date.now();
      if (!flags.quiet) process.stderr.write(`run ${run} of ${runs}\n`);
      outcome = await runFlywheel({
        config,
        env: { ...process.env, ...SIM_CREDENTIALS },
        logger,
        now: () => new Date(clock()),
      });
    }
    await emitReport(outcome.report, flags);
    return exitCodeFor(outcome.report);
  } finally {
    await sim.close();
  }
}
