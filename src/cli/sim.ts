/** `flywheel sim`: the simulator alone, until SIGINT or SIGTERM. */
import { stringify } from 'yaml';
import { startSimulator, type SimOptions } from '../sim/index.ts';
import { perPlatform } from './common.ts';
import { FLAG_RANGES, durationFlag, listenProblem, wholeFlag } from './flags.ts';

export interface SimFlags {
  port: string;
  seed: string;
  accounts: string;
  latency: string;
}

/** The simulator options of `flywheel sim`'s flags; raises ConfigError naming a bad flag. */
export function simOptions(flags: SimFlags): SimOptions {
  return {
    port: wholeFlag('port', flags.port, FLAG_RANGES.port),
    seed: wholeFlag('seed', flags.seed, FLAG_RANGES.seed),
    accounts: perPlatform(wholeFlag('accounts', flags.accounts, FLAG_RANGES.accounts)),
    latencyMs: durationFlag('latency', flags.latency, FLAG_RANGES.latencyMs),
  };
}

/**
 * Runs the simulator until interrupted and prints a config that points at it.
 *
 * @example
 * flywheel sim --port 8787 --seed 7 --accounts 5 > sim.yaml
 */
export async function runSim(flags: SimFlags): Promise<number> {
  const options = simOptions(flags);
  const sim = await startSimulator(options).catch((error: unknown) => {
    throw listenProblem(error, '--port', `127.0.0.1:${options.port}`);
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
