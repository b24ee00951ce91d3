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
