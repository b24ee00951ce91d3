/** What the CLI commands share: logging, progress lines, config loading, exit codes, output. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { loadConfig } from '../config/index.ts';
import type { AppConfig } from '../config/schema.ts';
import {
  CancelledError,
  ConfigError,
  OutputError,
  describeError,
  isConfigError,
  isFlywheelError,
  isRecordingError,
} from '../errors.ts';
import { whyNotWritable, whyNotWritableFolder } from '../paths.ts';
import { renderMarkdownReport, renderReport, type RunReport } from '../observe/report.ts';
import type { ProgressEvent } from '../pipeline/types.ts';
import { PLATFORM_NAMES, type PlatformName } from '../platforms/types.ts';

/** Exit codes: 0 run succeeded or partial, 1 run failed, 2 bad config or usage. */
export const ExitCode = { Ok: 0, Failed: 1, Usage: 2 } as const;

export interface CommonFlags {
  config?: string;
  profile?: string;
  store?: string;
  set?: string[];
  reportJson?: string;
  reportMd?: string;
  logLevel?: string;
  /** `pretty` or `json`; default: pretty on a terminal, JSON otherwise. */
  logFormat?: string;
  quiet?: boolean;
}

export { createCliLogger } from './logging.ts';

/** Loads the config with flags over environment over file. */
export async function loadCliConfig(
  flags: CommonFlags,
  base?: Record<string, string>,
): Promise<AppConfig> {
  const overrides: Record<string, string> = { ...base };
  for (const pair of flags.set ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usage(`--set expects key=value (e.g. http.connections=5), got "${pair}"`);
    overrides[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  if (flags.profile !== undefined) overrides.profile = flags.profile;
  if (flags.store !== undefined) overrides['store.path'] = flags.store;

  return loadConfig({ file: flags.config, env: process.env, overrides });
}

/** One stderr line per progress event: readable in a terminal and in CI logs alike. */
export function progressPrinter(quiet: boolean | undefined): (event: ProgressEvent) => void {
  return (event) => {
    if (quiet) return;
    const count = event.total ? ` [${event.done ?? 0}/${event.total}]` : '';
    const item = event.item ? ` ${event.item}` : '';
    process.stderr.write(`  ${event.task}${item} ${event.message}${count}\n`);
  };
}

/**
 * Checks, before any work, that every file the flags and config will write can be written, so a
 * typo in an output path costs a message rather than a finished run's report. Raises ConfigError
 * naming the flag (or setting), the path and why.
 */
export function checkOutputs(flags: CommonFlags & { record?: string }, storePath: string): void {
  const problems: string[] = [];
  const check = (
    flag: string,
    path: string | undefined,
    problem: (path: string) => string | null,
  ) => {
    const why = path === undefined ? null : problem(path);
    if (why !== null) problems.push(`${flag}: cannot write ${path}: ${why}`);
  };

  check('--report-json', flags.reportJson, whyNotWritable);
  check('--report-md', flags.reportMd, whyNotWritable);
  check('--record', flags.record, whyNotWritableFolder);
  if (storePath !== ':memory:' && !storePath.startsWith('file:')) {
    check(flags.store === undefined ? 'store.path' : '--store', storePath, whyNotWritable);
  }

  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
}

/**
 * Prints the report and writes the files the flags ask for. Each file is written on its own, so
 * one that fails does not lose the other; raises OutputError naming every flag that failed.
 */
export async function emitReport(report: RunReport, flags: CommonFlags): Promise<void> {
  process.stdout.write(`${renderReport(report, { color: process.stdout.isTTY })}\n`);
  const outputs = [
    {
      flag: '--report-json',
      file: flags.reportJson,
      text: () => `${JSON.stringify(report, null, 2)}\n`,
    },
    { flag: '--report-md', file: flags.reportMd, text: () => renderMarkdownReport(report) },
  ];

  const failures: string[] = [];
  for (const { flag, file, text } of outputs) {
    if (file === undefined) continue;
    try {
      await writeOut(file, text());
    } catch (error) {
      failures.push(`${flag}: cannot write ${file}: ${describeError(error)}`);
    }
  }
  if (failures.length > 0) {
    throw new OutputError(`${failures.join('\n')}\n(the run itself is stored: ${report.runId})`);
  }
}

async function writeOut(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}

/** What `onInterrupt` gives a command: the signal to run under, and the exit code to use. */
export interface Interrupt {
  /** Aborted by the first SIGINT or SIGTERM, with a CancelledError naming it. */
  signal: AbortSignal;
  /**
   * `code` when the run was not interrupted; else prints the one line that says so and gives
   * 128 + the signal's number (130 for Ctrl-C), as shells do.
   */
  exitCode(code: number): number;
  dispose(): void;
}

const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 } as const;

/**
 * Turns the first Ctrl-C (or SIGTERM) into a cancellation: the run winds down through its abort
 * signal, the partial report is printed and written, and the stored pages stay. A second one
 * exits at once.
 */
export function onInterrupt(): Interrupt {
  const controller = new AbortController();
  let received: keyof typeof SIGNAL_NUMBERS | undefined;
  const handler = (name: keyof typeof SIGNAL_NUMBERS): void => {
    if (received !== undefined) {
      process.stderr.write(`flywheel: ${name} again: stopping now, without a report\n`);
      process.exit(128 + SIGNAL_NUMBERS[name]);
    }
    received = name;
    controller.abort(new CancelledError(name === 'SIGINT' ? 'Ctrl-C' : name));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);

  return {
    signal: controller.signal,
    exitCode(code) {
      if (received === undefined) return code;
      process.stderr.write(
        `flywheel: interrupted (${received}): the report above is partial; the pages stored so far are kept\n`,
      );
      return 128 + SIGNAL_NUMBERS[received];
    },
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

/** Maps a run status to the process exit code. */
export function exitCodeFor(report: RunReport): number {
  return report.status === 'failed' ? ExitCode.Failed : ExitCode.Ok;
}

class UsageError extends Error {}

function usage(message: string): UsageError {
  return new UsageError(message);
}

/** Runs a command body, turning known errors into a message and an exit code. */
export async function guard(body: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (error) {
    // A recording that cannot be read is bad input, like a bad config: nothing ran yet.
    if (isConfigError(error) || isRecordingError(error) || error instanceof UsageError) {
      process.stderr.write(`flywheel: ${error.message}\n`);
      process.exitCode = ExitCode.Usage;
      return;
    }
    const code = isFlywheelError(error) ? ` [${error.code}]` : '';
    process.stderr.write(`flywheel: ${describeError(error)}${code}\n`);
    process.exitCode = ExitCode.Failed;
  }
}

/** The same simulator account count for every platform. */
export function perPlatform(count: number): Record<PlatformName, number> {
  return Object.fromEntries(PLATFORM_NAMES.map((name) => [name, count])) as Record<
    PlatformName,
    number
  >;
}
