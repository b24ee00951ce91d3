/** `flywheel demo`: the simulator plus a whole run against it, with the embedded defaults. */
import { rm } from 'node:fs/promises';
import { validateConfig } from '../config/index.ts';
import { runFlywheel } from '../pipeline/flywheel.ts';
import { startSimulator } from '../sim/index.ts';
import {
  createCliLogger,
  emitReport,
  exitCodeFor,
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

export async function runDemo(flags: DemoFlags): Promise<number> {
  const sim = await startSimulator({
    seed: Number(flags.seed),
    accountsPerPlatform: Number(flags.accounts),
    latencyMs: Number(flags.latency),
  });
  try {
    const storePath = flags.store ?? DEMO_STORE;
    if (flags.store === undefined) await rm(storePath, { force: true });
    const config = validateConfig(
      {
        ...sim.config(),
        ...(flags.profile ? { profile: flags.profile } : {}),
        store: { path: storePath },
        thompson: { seed: Number(flags.seed) },
      },
      'demo config',
    );

    if (!flags.quiet) process.stderr.write(`simulator on ${sim.url} (seed ${flags.seed})\n`);
    const outcome = await runFlywheel({
      config,
      logger: createCliLogger(flags.logLevel),
      onProgress: progressPrinter(flags.quiet),
    });
    await emitReport(outcome.report, flags);
    return exitCodeFor(outcome.report);
  } finally {
    await sim.close();
  }
}
