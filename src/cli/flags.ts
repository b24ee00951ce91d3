/**
 * Numeric command-line flags, checked before any work. A bad value raises ConfigError (exit 2)
 * naming the flag, the value and the range expected, never a runtime's internal message.
 */
import { DURATION_FORMATS, parseDurationMs } from '../config/schema.ts';
import { ConfigError } from '../errors.ts';

/** The largest seed: seeds are 32-bit unsigned integers everywhere in Flywheel. */
export const MAX_SEED = 0xffff_ffff;

/** Ports and seeds every command shares, so each command states the same range. */
export const FLAG_RANGES = {
  port: { min: 0, max: 65_535 },
  seed: { min: 0, max: MAX_SEED },
  accounts: { min: 1, max: 1_000 },
  latencyMs: { min: 0, max: 60_000 },
} as const;

function refuse(flag: string, text: string, expected: string): ConfigError {
  return new ConfigError(`--${flag}: got "${text}", expected ${expected}`, {
    details: { flag: `--${flag}` },
  });
}

/**
 * A whole number from `min` to `max` (inclusive).
 *
 * @example
 * wholeFlag('port', '70000', { min: 0, max: 65_535 }); // ConfigError: --port: got "70000", expected a whole number from 0 to 65535
 */
export function wholeFlag(
  flag: string,
  text: string,
  range: { min: number; max?: number },
): number {
  const value = Number(text);
  const expected =
    range.max === undefined
      ? `a whole number >= ${range.min}`
      : `a whole number from ${range.min} to ${range.max}`;
  const isOk =
    /^\s*[-+]?\d+\s*$/.test(text) &&
    Number.isSafeInteger(value) &&
    value >= range.min &&
    (range.max === undefined || value <= range.max);
  if (!isOk) throw refuse(flag, text, expected);

  return value;
}

/**
 * A number that `check` accepts; `expected` says which, e.g. "a number in (0, 1]".
 *
 * @example
 * numberFlag('level', '1.5', (v) => v > 0 && v < 1, 'a number in (0, 1)');
 */
export function numberFlag(
  flag: string,
  text: string,
  check: (value: number) => boolean,
  expected: string,
): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !check(value)) {
    throw refuse(flag, text, expected);
  }

  return value;
}

/**
 * A duration in milliseconds from `min` to `max`: "1500", "250ms", "1.5s", "2m", "1h".
 *
 * @example
 * durationFlag('latency', '-5', { min: 0, max: 60_000 }); // ConfigError naming --latency
 */
export function durationFlag(
  flag: string,
  text: string,
  range: { min: number; max?: number },
): number {
  const ms = parseDurationMs(text);
  const bounds =
    range.max === undefined
      ? `of at least ${range.min} ms`
      : `from ${range.min} to ${range.max} ms`;
  if (ms === undefined || ms < range.min || (range.max !== undefined && ms > range.max)) {
    throw refuse(flag, text, `a duration ${bounds}: ${DURATION_FORMATS}`);
  }

  return ms;
}

/**
 * A listen failure as a ConfigError naming the setting at fault: `flag` for the port (in use,
 * not allowed), `hostFlag` for an address that is not this machine's. Any other error is
 * returned as it was.
 */
export function listenProblem(
  error: unknown,
  flag: string,
  address: string,
  hostFlag: string = flag,
): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') {
    return new ConfigError(
      `${flag}: ${address} is already in use; choose another port, or 0 for any free one`,
      { cause: error },
    );
  }
  if (code === 'EACCES') {
    return new ConfigError(
      `${flag}: not allowed to listen on ${address} (ports below 1024 need privileges); choose another port`,
      { cause: error },
    );
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new ConfigError(`${hostFlag}: ${address} is not an address of this machine`, {
      cause: error,
    });
  }

  return error;
}
