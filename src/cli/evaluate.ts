/**
 * `flywheel evaluate upworthy|obd`: the bandit evaluations on real data (docs/evaluate.md).
 *
 * @example
 * flywheel evaluate upworthy --limit 500 --seed 7 --json upworthy.json
 * flywheel evaluate obd --train random --set thompson.priorBeta=100
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option } from 'commander';
import type { Command } from 'commander';
import {
  TRAIN_SOURCES,
  evaluateObd,
  evaluateUpworthy,
  renderObd,
  renderUpworthy,
} from '../evaluate/index.ts';
import type { TrainSource } from '../evaluate/index.ts';
import { guard, loadCliConfig } from './common.ts';
import { FLAG_RANGES, numberFlag, wholeFlag } from './flags.ts';

/** More workers than this only queue behind each other on any machine Flywheel targets. */
const MAX_WORKERS = 64;

// Beside the checkout (where the project's shared recordings live), wherever the command runs.
const SHARED_DATA = new URL('../../../shared/data/', import.meta.url);
const DEFAULT_UPWORTHY = fileURLToPath(
  new URL('upworthy/ains-arch-upworthy-hierarchy', SHARED_DATA),
);
const DEFAULT_OBD = fileURLToPath(new URL('open-bandit-dataset', SHARED_DATA));

interface EvaluateFlags {
  config?: string;
  set?: string[];
  data: string;
  seed: string;
  json?: string;
  quiet?: boolean;
}

interface UpworthyFlags extends EvaluateFlags {
  limit?: string;
  batchSizes: string;
  epsilon: string;
  explore: string;
  discount: string;
  workers: string;
}

interface ObdFlags extends EvaluateFlags {
  campaign: string;
  train: TrainSource;
  draws: string;
  bootstrap: string;
  level: string;
}

async function writeJson(file: string | undefined, report: unknown): Promise<void> {
  if (file === undefined) return;
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}

function progress(quiet: boolean | undefined, name: string): (done: number, total: number) => void {
  let shown = 0;
  return (done, total) => {
    // About ten lines per run, and the last.
    if (quiet || (done < total && done - shown < total / 10)) return;
    shown = done;
    process.stderr.write(`  evaluate ${name} [${done}/${total}]\n`);
  };
}

async function runUpworthy(flags: UpworthyFlags): Promise<number> {
  const config = await loadCliConfig(flags);
  const batchSizes = flags.batchSizes
    .split(',')
    .map((text) =>
      numberFlag(
        'batch-sizes',
        text,
        (v) => Number.isInteger(v) && v >= 1,
        'whole numbers >= 1, comma-separated',
      ),
    );
  const report = await evaluateUpworthy({
    dataDir: flags.data,
    seed: wholeFlag('seed', flags.seed, FLAG_RANGES.seed),
    limit: flags.limit === undefined ? undefined : wholeFlag('limit', flags.limit, { min: 1 }),
    batchSizes,
    priorAlpha: config.thompson.priorAlpha,
    priorBeta: config.thompson.priorBeta,
    discount: numberFlag('discount', flags.discount, (v) => v > 0 && v <= 1, 'a number in (0, 1]'),
    epsilon: numberFlag('epsilon', flags.epsilon, (v) => v >= 0 && v <= 1, 'a number in [0, 1]'),
    exploreShare: numberFlag(
      'explore',
      flags.explore,
      (v) => v > 0 && v <= 1,
      'a number in (0, 1]',
    ),
    workers: wholeFlag('workers', flags.workers, { min: 1, max: MAX_WORKERS }),
    onProgress: progress(flags.quiet, 'upworthy'),
  });
  process.stdout.write(`${renderUpworthy(report)}\n`);
  await writeJson(flags.json, report);

  return 0;
}

async function runObd(flags: ObdFlags): Promise<number> {
  const config = await loadCliConfig(flags);
  const report = await evaluateObd({
    dataDir: flags.data,
    campaign: flags.campaign,
    seed: wholeFlag('seed', flags.seed, FLAG_RANGES.seed),
    train: flags.train,
    priorAlpha: config.thompson.priorAlpha,
    priorBeta: config.thompson.priorBeta,
    draws: wholeFlag('draws', flags.draws, { min: 1, max: 10_000_000 }),
    resamples: wholeFlag('bootstrap', flags.bootstrap, { min: 1, max: 1_000_000 }),
    level: numberFlag('level', flags.level, (v) => v > 0 && v < 1, 'a number in (0, 1)'),
  });
  process.stdout.write(`${renderObd(report)}\n`);
  await writeJson(flags.json, report);

  return 0;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function withShared(command: Command, data: string): Command {
  return command
    .option('--data <dir>', 'the data set folder', data)
    .option('--seed <n>', 'seed of every random choice', '1')
    .option('--json <file>', 'also write the report as JSON')
    .option('-c, --config <file>', 'YAML config; its thompson prior is the one evaluated')
    .option('--set <key=value>', 'override a config value, e.g. thompson.priorBeta=50', collect)
    .option('-q, --quiet', 'no progress lines');
}

/** Adds `evaluate upworthy` and `evaluate obd` to the program. */
export function addEvaluateCommand(program: Command): void {
  const evaluate = program
    .command('evaluate')
    .description("evaluate Flywheel's Thompson sampling on real data (docs/evaluate.md)");

  withShared(
    evaluate
      .command('upworthy')
      .description('replay the Upworthy headline tests as bandits against other policies')
      .option('--limit <n>', 'only the first n tests')
      .option('--batch-sizes <list>', 'impressions per batch, comma-separated', '1,100,1000')
      .option('--epsilon <share>', "epsilon-greedy's share of random impressions", '0.1')
      .option('--explore <share>', "explore-then-commit's share of the budget explored", '0.1')
      .option('--discount <factor>', "Thompson sampling's discount per batch, (0, 1]", '1')
      .option('--workers <n>', 'worker threads', String(Math.min(2, availableParallelism()))),
    DEFAULT_UPWORTHY,
  ).action((flags: UpworthyFlags) => guard(() => runUpworthy(flags)));

  withShared(
    evaluate
      .command('obd')
      .description(
        "estimate the CTR of Flywheel's policy from the Open Bandit Dataset's random log",
      )
      .option('--campaign <name>', 'campaign folder (men in the small sample)', 'men')
      .addOption(
        new Option('--train <log>', 'the log the policy learns from')
          .choices([...TRAIN_SOURCES])
          .default('bts'),
      )
      .option('--draws <n>', 'Monte Carlo draws for the choice probabilities', '100000')
      .option('--bootstrap <n>', 'bootstrap resamples', '1000')
      .option('--level <p>', 'interval coverage', '0.95'),
    DEFAULT_OBD,
  ).action((flags: ObdFlags) => guard(() => runObd(flags)));
}
