/**
 * `flywheel bench`: every operator measured naive against optimised, side by side in fresh child
 * processes, against the limits of the scenario and the requirements (docs/bench.md).
 *
 * @example
 * flywheel bench
 * flywheel bench --scenario bench/scenario.yaml --json bench.json --markdown bench.md
 * flywheel bench --baseline bench.json --threshold 0.2
 * flywheel bench --scale
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Option, type Command } from 'commander';
import { ConfigError } from '../errors.ts';
import {
  BENCH_TARGETS,
  OPERATION_KINDS,
  compareWithBaseline,
  parseScenario,
  prepareChildren,
  readBaseline,
  readScenarioFile,
  renderBench,
  renderBenchMarkdown,
  runBench,
  runScale,
  type BenchResult,
  type Runtime,
} from '../bench/index.ts';
import { PLATFORM_NAMES } from '../platforms/types.ts';
import { ExitCode, guard } from './common.ts';

interface BenchFlags {
  scenario?: string;
  pairs?: string;
  platforms?: string;
  accounts?: string;
  posts?: string;
  pages?: string;
  latency?: string;
  connectLatency?: string;
  faults?: string;
  services?: string;
  concurrency?: string;
  connections?: string;
  seed?: string;
  only?: string;
  runtime: Runtime;
  nodeOptions?: string[];
  json?: string;
  markdown?: string;
  baseline?: string;
  threshold: string;
  scale?: boolean;
  minImprovement?: string;
  maxRss?: string;
  minReuse?: string;
  p99?: string[];
  quiet?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** A number flag as a number; the scenario's schema then checks its range. */
function num(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new ConfigError(`--${flag}: got "${text}", expected a number`);
  }

  return value;
}

function list(flag: string, text: string, allowed: readonly string[]): string[] {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const unknown = items.filter((item) => !allowed.includes(item));
  if (items.length === 0 || unknown.length > 0) {
    throw new ConfigError(
      `--${flag}: got "${text}", expected a comma-separated list of ${allowed.join(', ')}`,
    );
  }

  return items;
}

function p99Overrides(pairs: readonly string[]): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const pair of pairs) {
    const match = /^([a-z]+)=(\d+(?:\.\d+)?)$/.exec(pair.trim());
    if (match === null || !(OPERATION_KINDS as readonly string[]).includes(match[1]!)) {
      throw new ConfigError(
        `--p99: got "${pair}", expected KIND=MS with KIND one of ${OPERATION_KINDS.join(', ')} (e.g. probe=500)`,
      );
    }
    limits[match[1]!] = Number(match[2]);
  }

  return limits;
}

/** The scenario from the file (if any) with the flags over it; ConfigError when invalid. */
export async function scenarioFrom(flags: BenchFlags) {
  const input: Record<string, unknown> = flags.scenario
    ? await readScenarioFile(flags.scenario)
    : {};
  const set = (key: string, value: unknown): void => {
    if (value !== undefined) input[key] = value;
  };
  const accounts = num('accounts', flags.accounts);
  if (flags.platforms !== undefined || accounts !== undefined) {
    const current = (input.accounts ?? { bluesky: 24 }) as Record<string, number>;
    const platforms =
      flags.platforms === undefined
        ? Object.keys(current).filter((platform) => (current[platform] ?? 0) > 0)
        : list('platforms', flags.platforms, PLATFORM_NAMES);
    input.accounts = Object.fromEntries(
      platforms.map((platform) => [platform, accounts ?? current[platform] ?? 4]),
    );
  }
  set('pairs', num('pairs', flags.pairs));
  set('posts', num('posts', flags.posts));
  set('pages', num('pages', flags.pages));
  set('latencyMs', num('latency', flags.latency));
  set('connectLatencyMs', num('connect-latency', flags.connectLatency));
  set('faultRate', num('faults', flags.faults));
  set('services', num('services', flags.services));
  set('concurrency', num('concurrency', flags.concurrency));
  set('connections', num('connections', flags.connections));
  set('seed', num('seed', flags.seed));
  if (flags.only !== undefined) input.targets = list('only', flags.only, BENCH_TARGETS);
  if (flags.nodeOptions !== undefined) input.nodeOptions = flags.nodeOptions;

  const requirements = { ...(input.requirements as Record<string, unknown> | undefined) };
  if (flags.minImprovement !== undefined)
    requirements.minImprovement = num('min-improvement', flags.minImprovement);
  if (flags.maxRss !== undefined) requirements.maxPeakRssMb = num('max-rss', flags.maxRss);
  if (flags.minReuse !== undefined) requirements.minReuse = num('min-reuse', flags.minReuse);
  if (flags.p99 !== undefined) {
    requirements.p99Ms = {
      ...(requirements.p99Ms as Record<string, unknown> | undefined),
      ...p99Overrides(flags.p99),
    };
  }
  if (Object.keys(requirements).length > 0) input.requirements = requirements;

  const source = flags.scenario ? `scenario ${flags.scenario} with the flags` : 'scenario (flags)';
  return parseScenario(input, source);
}

async function writeOut(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}

/** Runs the bench; 1 when a requirement fails or the baseline shows a regression. */
export async function runBenchCommand(flags: BenchFlags): Promise<number> {
  const scenario = await scenarioFrom(flags);
  const threshold = Number(flags.threshold);
  if (!(threshold >= 0) || flags.threshold.trim() === '') {
    throw new ConfigError(
      `--threshold: got "${flags.threshold}", expected a fraction such as 0.25`,
    );
  }
  const baseline = flags.baseline === undefined ? undefined : await readBaseline(flags.baseline);
  const progress = (line: string): void => {
    if (!flags.quiet) process.stderr.write(`${line}\n`);
  };

  // Compiled once for the whole command, so the scaling runs measure the same code.
  const command = await prepareChildren(flags.runtime, progress, scenario.nodeOptions);
  let result: BenchResult = await runBench(scenario, { command, onProgress: progress });
  if (flags.scale) {
    progress('scaling runs');
    result = { ...result, scale: await runScale(scenario, command, result.floor.median, progress) };
  }
  if (baseline !== undefined) {
    result = {
      ...result,
      baseline: compareWithBaseline(result, baseline, threshold, flags.baseline),
    };
  }

  process.stdout.write(`${renderBench(result, { color: process.stdout.isTTY })}\n`);
  if (flags.json) await writeOut(flags.json, `${JSON.stringify(result, null, 2)}\n`);
  if (flags.markdown) await writeOut(flags.markdown, renderBenchMarkdown(result));

  const isFailed =
    result.requirements.some((check) => !check.isPass) ||
    (result.scale?.checks ?? []).some((check) => !check.isPass) ||
    (result.baseline?.regressions ?? 0) > 0;
  return isFailed ? ExitCode.Failed : ExitCode.Ok;
}

/** Adds `flywheel bench` to the program. */
export function addBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('measure every operator naive against optimised, and against the limits')
    .option('--scenario <file>', 'YAML or JSON scenario (docs/bench.md); flags win over it')
    .option('--pairs <n>', 'naive/optimised pairs per operator, each in fresh processes (5)')
    .option('--platforms <list>', `platforms with accounts, e.g. bluesky,reddit (bluesky)`)
    .option('--accounts <n>', 'simulated accounts per platform (24)')
    .option('--posts <n>', 'posts per account (60)')
    .option('--pages <n>', 'pages each account is read in (3)')
    .option('--latency <ms>', 'simulated round trip (20)')
    .option('--connect-latency <ms>', 'extra delay of a new connection, its handshake (40)')
    .option('--faults <rate>', 'share of requests answered 503 (0)')
    .option('--services <n>', 'simulated services with /metrics and /healthz (2)')
    .option('--concurrency <n>', 'accounts scraped at once (8)')
    .option('--connections <n>', 'connections per origin (20)')
    .option('--seed <n>', 'simulator and bandit seed (42)')
    .option('--only <list>', `measure only these: ${BENCH_TARGETS.join(',')}`)
    .addOption(
      new Option('--runtime <runtime>', 'how children run')
        .choices(['compiled', 'tsx'])
        .default('compiled'),
    )
    .option('--node-options <flag>', 'a Node/V8 flag for the children (repeatable)', collect)
    .option('--json <file>', 'write the result as JSON (a later --baseline)')
    .option('--markdown <file>', 'write the result as Markdown')
    .option('--baseline <file>', 'compare with an earlier --json result; regressions exit 1')
    .option('--threshold <fraction>', 'worsening the baseline comparison accepts', '0.25')
    .option('--scale', 'also scrape 10, 100 and 1,000 accounts and import 1,000,000 posts')
    .option('--min-improvement <fraction>', 'requirement: faster than naive by (0.10)')
    .option('--max-rss <mb>', 'requirement: peak RSS under, MB (100)')
    .option('--min-reuse <fraction>', 'requirement: connection reuse at least (0.90)')
    .option('--p99 <kind=ms>', 'requirement: p99 limit of probe, fetch, compute or run', collect)
    .option('-q, --quiet', 'no progress lines')
    .action((flags: BenchFlags) => guard(() => runBenchCommand(flags)));
}
