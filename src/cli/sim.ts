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
  // stdout carries only the config, so `flywheel sim > sim.yaml` gives a usable file.
  process.stderr.write(`simulator listening on ${sim.url} (Ctrl-C stops it)\n`);
  process.stdout.write(
    '# A config that points at the simulator. It accepts any credentials:\n' +
      '#   export REDDIT_CLIENT_ID=sim REDDIT_CLIENT_SECRET=sim YOUTUBE_API_KEY=sim\n' +
      stringify(sim.config()),
  );

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.close();
  return 0;
}
