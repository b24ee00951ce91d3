/** `flywheel demo`: the simulator plus a whole run against it, with the embedded defaults. */
import { rm } from 'node:fs/promises';
import { validateConfig } from '../config/index.ts';
import { runFlywheel } from '../pipeline/flywheel.ts';
import { startSimulator, type Simulator } from '../sim/index.ts';
import type { AppConfig } from '../config/schema.ts';
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
  const sim = await startSimulator({
    seed: Number(flags.seed),
    accounts: perPlatform(Number(flags.accounts)),
    latencyMs: Number(flags.latency),
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
    const outcome = await runFlywheel({
      config,
      env: { ...process.env, ...SIM_CREDENTIALS },
      logger: createCliLogger(flags.logLevel),
      onProgress: progressPrinter(flags.quiet),
    });
    await emitReport(outcome.report, flags);
    return exitCodeFor(outcome.report);
  } finally {
    await sim.close();
  }
}
