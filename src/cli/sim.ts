/** `flywheel sim`: the simulator alone, until SIGINT or SIGTERM. */
import { stringify } from 'yaml';
import { startSimulator } from '../sim/index.ts';
import { perPlatform } from './common.ts';

export interface SimFlags {
  port: string;
  seed: string;
  accounts: string;
  latency: string;
}

export async function runSim(flags: SimFlags): Promise<number> {
  const sim = await startSimulator({
    port: Number(flags.port),
    seed: Number(flags.seed),
    accounts: perPlatform(Number(flags.accounts)),
    latencyMs: Number(flags.latency),
  });
  process.stdout.write(
    `simulator listening on ${sim.url}\n\n# a config that points at it:\n${stringify(sim.config())}`,
  );

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.close();
  return 0;
}
