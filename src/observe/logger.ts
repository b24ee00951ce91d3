/**
 * The logger contract library code receives. The CLI plugs in pino; library code stays silent
 * by default. Messages are short lowercase phrases; ids go in fields.
 */
export type LogFields = Record<string, unknown>;

export interface Logger {
  trace(fields: LogFields, message: string): void;
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
  child(bindings: LogFields): Logger;
}

const noop = (): void => {};

/** A logger that drops everything: the default for library code. */
export const silentLogger: Logger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};

/**
 * Calls an observer (an event listener, an `onEvent` callback). One that throws is logged as
 * `message` with the event's name, never raised: observers are called from inside work (a probe
 * round, a Redis operation, the rate limiter's queue) whose outcome must not change because
 * something only watching it failed.
 */
export function callObserver(
  logger: Logger,
  event: string,
  message: string,
  call: () => unknown,
): void {
  try {
    call();
  } catch (error) {
    logger.error({ event, error: error instanceof Error ? error.message : String(error) }, message);
  }
}
