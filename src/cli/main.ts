/**
 * The `flywheel` command line.
 *
 * @example
 * flywheel demo
 * flywheel run --config flywheel.yaml --report-json report.json
 * flywheel run --config flywheel.yaml --replay recordings/
 * flywheel task scrape --config flywheel.yaml
 * flywheel sim --port 8787
 * flywheel evaluate upworthy --limit 500 --json upworthy.json
 * flywheel serve --config flywheel.yaml --port 9464
 * flywheel bench --json bench.json
 */
// First, for a lower peak memory: src/observe/runtime.ts has the measurements.
import './lean-runtime.ts';
import { Command, Option } from 'commander';
import { ConfigError } from '../errors.ts';
import { TASK_NAMES, type TaskName } from '../pipeline/types.ts';
import { runFlywheel } from '../pipeline/flywheel.ts';
import {
  checkOutputs,
  createCliLogger,
  emitReport,
  exitCodeFor,
  guard,
  loadCliConfig,
  onInterrupt,
  progressPrinter,
  type CommonFlags,
} from './common.ts';
import { DEMO_STORE, runDemo, type DemoFlags } from './demo.ts';
import { addBenchCommand } from './bench.ts';
import { addEvaluateCommand } from './evaluate.ts';
import { LOG_FORMATS } from './logging.ts';
import { runServe, type ServeFlags } from './serve.ts';
import { runSim, type SimFlags } from './sim.ts';

interface RunFlags extends CommonFlags {
  replay?: string;
  record?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const logFormatOption = () =>
  new Option(
    '--log-format <format>',
    'log lines on stderr (default: pretty on a terminal)',
  ).choices([...LOG_FORMATS]);

function withCommonOptions(command: Command, store = '.flywheel/flywheel.sqlite'): Command {
  return command
    .option('-c, --config <file>', 'YAML config file (see docs/configuration.md)')
    .addOption(
      new Option('--profile <profile>', 'optimized or naive').choices(['optimized', 'naive']),
    )
    .option('--store <path>', `SQLite store file (default ${store}; ":memory:")`)
    .option('--set <key=value>', 'override a config value, e.g. http.connections=5', collect)
    .option('--report-json <file>', 'also write the report as JSON')
    .option('--report-md <file>', 'also write the report as Markdown')
    .addOption(
      new Option('--log-level <level>', 'log detail on stderr')
        .choices(['trace', 'debug', 'info', 'warn', 'error'])
        .default('warn'),
    )
    .addOption(logFormatOption())
    .option('-q, --quiet', 'no progress lines');
}

async function runCommand(flags: RunFlags, only?: TaskName[]): Promise<number> {
  const config = await loadCliConfig(flags);
  if (only === undefined && config.accounts.length === 0 && config.services.length === 0) {
    throw new ConfigError(
      `nothing to do: ${flags.config ?? 'the config'} lists no accounts and no services ` +
        '(pass --config FILE; the README has an example)',
    );
  }
  checkOutputs(flags, config.store.path);
  const interrupt = onInterrupt();
  try {
    const outcome = await runFlywheel({
      config,
      logger: createCliLogger(flags.logLevel, { format: flags.logFormat }),
      replayDir: flags.replay,
      recordDir: flags.record,
      onProgress: progressPrinter(flags.quiet),
      signal: interrupt.signal,
      ...(only ? { only } : {}),
    });
    await emitReport(outcome.report, flags);
    return interrupt.exitCode(exitCodeFor(outcome.report));
  } finally {
    interrupt.dispose();
  }
}

const program = new Command()
  .name('flywheel')
  .description('Viral learning flywheel: scrape, score, learn, recommend, watch.')
  .showHelpAfterError()
  // Usage errors (unknown command, bad choice, missing argument) exit 2 like config errors;
  // help exits 0. Set before the subcommands are added so they inherit it.
  .exitOverride((error) => {
    const isHelp = error.code === 'commander.helpDisplayed' || error.code === 'commander.help';
    process.exit(isHelp ? 0 : 2);
  });

withCommonOptions(
  program
    .command('run')
    .description('run the whole flywheel once')
    .option('--replay <dir>', 'answer HTTP from Betamax JSON / vcrpy YAML recordings in <dir>')
    .option('--record <dir>', "record this run's HTTP traffic into <dir> (Betamax JSON)"),
).action((flags: RunFlags) => guard(() => runCommand(flags)));

withCommonOptions(
  program
    .command('task')
    .description('run one task; its inputs come from the latest stored outputs')
    .addArgument(new Command().createArgument('<name>', 'task to run').choices([...TASK_NAMES]))
    .option('--replay <dir>', 'answer HTTP from recordings in <dir>')
    .option('--record <dir>', 'record HTTP traffic into <dir>'),
).action((name: TaskName, flags: RunFlags) => guard(() => runCommand(flags, [name])));

withCommonOptions(
  program
    .command('demo')
    .description('start the built-in simulator and run the whole flywheel against it')
    .option('--seed <n>', 'simulator seed', '42')
    .option('--accounts <n>', 'accounts per platform', '3')
    .option('--latency <ms>', 'simulated round trip per request', '5')
    .option('--runs <n>', 'runs in a row on a simulated clock; the report is the last one', '1')
    .option('--every <duration>', 'simulated time between runs, e.g. 3h', '3h'),
  `${DEMO_STORE}, recreated on each demo`,
).action((flags: DemoFlags) => guard(() => runDemo(flags)));

program
  .command('sim')
  .description('run the simulator alone until interrupted')
  .option('--port <n>', 'port on 127.0.0.1', '8787')
  .option('--seed <n>', 'seed', '42')
  .option('--accounts <n>', 'accounts per platform', '3')
  .option('--latency <ms>', 'added latency per response', '0')
  .action((flags: SimFlags) => guard(() => runSim(flags)));

addEvaluateCommand(program);
addBenchCommand(program);

program
  .command('serve')
  .description('serve /metrics, /healthz and the latest run report until interrupted')
  .option('-c, --config <file>', 'YAML config file (see docs/configuration.md)')
  .option('--store <path>', 'SQLite store file (default .flywheel/flywheel.sqlite)')
  .option('--set <key=value>', 'override a config value, e.g. health.intervalMs=10s', collect)
  .option('--port <n>', 'port (default 9464, config serve.port)')
  .option('--host <address>', 'address (default 127.0.0.1, config serve.host)')
  .addOption(
    new Option('--log-level <level>', 'log detail on stderr')
      .choices(['trace', 'debug', 'info', 'warn', 'error'])
      .default('warn'),
  )
  .addOption(logFormatOption())
  .option('-q, --quiet', 'no start-up line')
  .action((flags: ServeFlags) => guard(() => runServe(flags)));

await program.parseAsync(process.argv);
