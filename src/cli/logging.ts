/**
 * The CLI's logs on stderr: one readable line per event on a terminal (pino-pretty), pino's JSON
 * lines when stderr is not a terminal or `--log-format json` asks. Library code never logs by
 * itself; this is the only place pino is wired.
 */
import pino from 'pino';
import pretty from 'pino-pretty';
import type { Logger } from '../observe/logger.ts';

/** `pretty`: a line for people; `json`: pino's JSON lines, for log collectors. */
export const LOG_FORMATS = ['pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * Warnings and errors that the run report lists anyway (and that progress lines show while the
 * run goes): at the default level they would only say everything twice. `--log-level info` or
 * lower shows them again, for a complete log. A test keeps each one in step with the code
 * that logs it.
 */
export const REPORTED_EVENTS: ReadonlySet<string> = new Set([
  'target down', // health: the Health section and Problems
  'account scrape incomplete', // scrape: Scrape per account and Problems
  'metrics collection failed', // metrics: the Metrics section and Problems
  'refresh lookups failed', // engine: Refresh of recent counts and Problems
  'task failed', // runner: Tasks and Problems
  'circuit open', // http: HTTP by origin and Problems
  'rate limited', // http: rate waits in HTTP by origin
  'cache degraded', // cache: the Cache section and Problems
  'performance regression', // metrics: the History section and Problems
]);

/** Options of `createCliLogger`. */
export interface CliLoggerOptions {
  /** `pretty` or `json` (`LogFormat`). Default: `pretty` when stderr is a terminal, else `json`. */
  format?: string | undefined;
  /** Where lines go. Default: stderr (fd 2), written synchronously so none is lost at exit. */
  destination?: NodeJS.WritableStream;
}

/** Fields that the line's head already shows, or that only a log collector needs. */
const HIDDEN_FIELDS = new Set(['level', 'time', 'msg', 'task', 'component', 'runId', 'pid']);

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

/** `health: target down  target=service:gone error="GET ... refused"` */
function prettyLine(log: Record<string, unknown>): string {
  // The health task's monitor logs as component health: name it once.
  const parts = [log.task, log.component].filter((part) => typeof part === 'string');
  const scope = [...new Set(parts)].join('/');
  const fields = Object.entries(log)
    .filter(([key]) => !HIDDEN_FIELDS.has(key))
    .map(([key, value]) => `${key}=${formatValue(value)}`)
    .join(' ');
  const head = scope === '' ? String(log.msg) : `${scope}: ${String(log.msg)}`;

  return fields === '' ? head : `${head}  ${fields}`;
}

/**
 * A pino logger for the CLI. At `warn` and `error` it leaves out the events the report lists
 * (`REPORTED_EVENTS`); at `info` and below it logs everything.
 *
 * @example
 * const logger = createCliLogger('warn', { format: 'json' });
 */
export function createCliLogger(level = 'warn', options: CliLoggerOptions = {}): Logger {
  const format = options.format ?? (process.stderr.isTTY ? 'pretty' : 'json');
  const isDetailed = pino.levels.values[level]! < pino.levels.values.warn!;
  const hooks: pino.LoggerOptions['hooks'] = {
    logMethod(args, method) {
      const message = typeof args[0] === 'object' ? args[1] : args[0];
      if (!isDetailed && typeof message === 'string' && REPORTED_EVENTS.has(message)) return;
      method.apply(this, args);
    },
  };

  if (format === 'json') {
    const destination = options.destination ?? pino.destination({ fd: 2, sync: true });
    return pino({ level, base: undefined, hooks }, destination);
  }

  const stream = pretty({
    destination: options.destination ?? 2,
    sync: true,
    colorize: options.destination === undefined && process.stderr.isTTY,
    translateTime: 'SYS:HH:MM:ss',
    hideObject: true,
    messageFormat: (log) => prettyLine(log),
  });
  return pino({ level, base: undefined, hooks }, stream);
}
