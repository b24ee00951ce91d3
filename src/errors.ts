/**
 * The shared base error and its coded subclasses.
 *
 * Every error Flywheel raises carries an `E_*` code, an optional `cause` and safe structured
 * `details` (never secrets or payloads). Callers check errors with the `isX` guards, which read
 * the code rather than `instanceof`, so errors survive crossing module copies and workers.
 */

export const ErrorCode = {
  Config: 'E_CONFIG',
  Parse: 'E_PARSE',
  HttpStatus: 'E_HTTP_STATUS',
  Network: 'E_NETWORK',
  Timeout: 'E_TIMEOUT',
  Cancelled: 'E_CANCELLED',
  ReplayMiss: 'E_REPLAY_MISS',
  Recording: 'E_RECORDING',
  Store: 'E_STORE',
  Task: 'E_TASK',
  Auth: 'E_AUTH',
  CircuitOpen: 'E_CIRCUIT_OPEN',
  Cache: 'E_CACHE',
  Output: 'E_OUTPUT',
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

export type ErrorDetails = Record<string, string | number | boolean | null | undefined>;

export interface FlywheelErrorOptions {
  cause?: unknown;
  details?: ErrorDetails;
  /** Whether retrying the same operation may succeed. Default: false. */
  isRetryable?: boolean;
}

/** Base class of every error Flywheel raises on purpose. */
export class FlywheelError extends Error {
  readonly code: ErrorCodeValue;
  readonly details: ErrorDetails;
  readonly isRetryable: boolean;

  constructor(code: ErrorCodeValue, message: string, options: FlywheelErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
    this.isRetryable = options.isRetryable ?? false;
  }
}

/** Bad configuration: raised at start, before any work. The CLI exits with code 2. */
export class ConfigError extends FlywheelError {
  constructor(message: string, options?: FlywheelErrorOptions) {
    super(ErrorCode.Config, message, options);
  }
}

/** A response, page or file that does not have the expected shape. Fails that page only. */
export class ParseError extends FlywheelError {
  constructor(message: string, options?: FlywheelErrorOptions) {
    super(ErrorCode.Parse, message, options);
  }
}

/** A non-success HTTP status after retries. `isRetryable` tells whether a later try may pass. */
export class HttpStatusError extends FlywheelError {
  readonly status: number;

  constructor(status: number, message: string, options?: FlywheelErrorOptions) {
    super(ErrorCode.HttpStatus, message, { ...options, details: { status, ...options?.details } });
    this.status = status;
  }
}

/** A connection-level failure (reset, refused, DNS, truncated body). */
export class NetworkError extends FlywheelError {
  constructor(message: string, options?: FlywheelErrorOptions) {
    super(ErrorCode.Network, message, { isRetryable: true, ...options });
  }
}

/** An attempt or a deadline ran out. */
export class TimeoutError extends FlywheelError {
  constructor(message: string, options?: FlywheelErrorOptions) {
    super(ErrorCode.Timeout, message, { isRetryable: true, ...options });
  }
}

/** The caller aborted the work. Never retried. */
export class CancelledError extends FlywheelError {
  constructor(message: string, options?: FlywheelErrorOptions) {
    super(ErrorCode.Cancelled, message, options);
  }
}

/** Authentication was refused or credentials are missing. */
export class AuthError extends FlywheelError {
  constructor(message: string, options?: FlywheelErrorOptions) {
    super(ErrorCode.Auth, message, options);
  }
}

/** Replay mode got a request that no recording answers. */
export class ReplayMissError extends FlywheelError {
  constructor(message: string, options?: FlywheelErrorOptions) {
    super(ErrorCode.ReplayMiss, message, options);
  }
}

/** A recording file that cannot be read as Betamax JSON or vcrpy YAML. */
export class RecordingError extends FlywheelError {
  constructor(message: string, options?: FlywheelErrorOptions) {
    super(ErrorCode.Recording, message, options);
  }
}

/** A task failed after its retries. */
export class TaskError extends FlywheelError {
  constructor(message: string, options?: FlywheelErrorOptions) {
    super(ErrorCode.Task, message, options);
  }
}

function hasCode(error: unknown, code: ErrorCodeValue): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

export const isFlywheelError = (error: unknown): error is FlywheelError =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as { code?: unknown }).code === 'string' &&
  String((error as { code: string }).code).startsWith('E_') &&
  'details' in error;
export const isConfigError = (e: unknown): e is ConfigError => hasCode(e, ErrorCode.Config);
export const isParseError = (e: unknown): e is ParseError => hasCode(e, ErrorCode.Parse);
export const isHttpStatusError = (e: unknown): e is HttpStatusError =>
  hasCode(e, ErrorCode.HttpStatus);
export const isNetworkError = (e: unknown): e is NetworkError => hasCode(e, ErrorCode.Network);
export const isTimeoutError = (e: unknown): e is TimeoutError => hasCode(e, ErrorCode.Timeout);
export const isCancelledError = (e: unknown): e is CancelledError =>
  hasCode(e, ErrorCode.Cancelled);
export const isAuthError = (e: unknown): e is AuthError => hasCode(e, ErrorCode.Auth);
export const isReplayMissError = (e: unknown): e is ReplayMissError =>
  hasCode(e, ErrorCode.ReplayMiss);
export const isRecordingError = (e: unknown): e is RecordingError =>
  hasCode(e, ErrorCode.Recording);

/** Whether retrying may help: the error says so itself, or it is a plain network failure. */
export function isRetryableError(error: unknown): boolean {
  if (isFlywheelError(error)) return error.isRetryable;
  return false;
}

/** A one-line description of any thrown value, safe for logs and reports. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A store operation failed (SQLite error, unknown post, bad value). Busy/locked is retryable. */
export class StoreError extends FlywheelError {
  constructor(message: string, options?: FlywheelErrorOptions) {
    super(ErrorCode.Store, message, options);
  }
}

export const isStoreError = (e: unknown): e is StoreError => hasCode(e, ErrorCode.Store);

/**
 * A circuit breaker refused the call: the origin failed too often and is resting, or a half-open
 * probe is in flight. Not retried within the request; `details.retryAfterMs` says when the next
 * probe may run (null while a probe is in flight).
 */
export class CircuitOpenError extends FlywheelError {
  constructor(message: string, options?: FlywheelErrorOptions) {
    super(ErrorCode.CircuitOpen, message, options);
  }
}

export const isCircuitOpenError = (e: unknown): e is CircuitOpenError =>
  hasCode(e, ErrorCode.CircuitOpen);

/** A cache value that cannot be stored in, or read back from, the shared (Redis) tier. */
export class CacheError extends FlywheelError {
  constructor(message: string, options?: FlywheelErrorOptions) {
    super(ErrorCode.Cache, message, options);
  }
}

export const isCacheError = (e: unknown): e is CacheError => hasCode(e, ErrorCode.Cache);

/** A report or other output file could not be written; the work it describes is kept. */
export class OutputError extends FlywheelError {
  constructor(message: string, options?: FlywheelErrorOptions) {
    super(ErrorCode.Output, message, options);
  }
}

export const isOutputError = (e: unknown): e is OutputError => hasCode(e, ErrorCode.Output);
