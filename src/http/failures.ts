/**
 * What a failed exchange means, from the code undici or Node put on the error.
 *
 * The answer decides two things: whether another attempt may pass (retries), and whether the
 * failure says anything about the origin (its circuit breaker counts `NetworkError` and
 * `TimeoutError` only). A request undici refuses to send (a header value with a line break, say,
 * from a token read from a file with its trailing newline) is the caller's mistake: retrying
 * sends the same bytes, and counting it against the origin would open the circuit for every
 * other caller while the server never saw a request.
 */
import {
  ConfigError,
  NetworkError,
  ParseError,
  TimeoutError,
  describeError,
  type FlywheelError,
} from '../errors.ts';
import { SECRET_QUERY_KEYS, redactUrl } from './redact.ts';

/**
 * Connection failures a later attempt may not meet: resets, refusals, DNS hiccups, a socket
 * closed under the request, a body cut short, a server's broken framing (`HPE_*`, matched apart).
 */
const TRANSIENT_CODES = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENETRESET',
]);

/**
 * @internal Failures where the request never left this machine, so even a POST may be sent
 * again: the connection was refused, never set up in time, or its host never resolved.
 */
export const UNSENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** undici's own timers (headersTimeout, bodyTimeout): the server answered too slowly. */
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** The server answered, but with headers or a body past undici's limits. */
const RESPONSE_CODES = new Set(['UND_ERR_HEADERS_OVERFLOW', 'UND_ERR_RES_EXCEEDED_MAX_SIZE']);

/** undici or Node refused the request as given: nothing was sent. */
const CALLER_CODES = new Set([
  'UND_ERR_INVALID_ARG',
  'UND_ERR_INVALID_RETURN_VALUE',
  'UND_ERR_NOT_SUPPORTED',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'ERR_INVALID_ARG_TYPE',
  'ERR_INVALID_ARG_VALUE',
  'ERR_INVALID_CHAR',
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_HTTP_INVALID_HEADER_VALUE',
  'ERR_INVALID_URL',
]);

/** @internal What the classifier knows about the request, for messages without secrets. */
export interface FailedRequest {
  /** `METHOD url`, already redacted. */
  where: string;
  url: URL;
  wireUrl: URL;
  headers: Readonly<Record<string, string>>;
  attempt: number;
}

/**
 * @internal Names a failure that is not already a Flywheel error:
 * - transient connection failures: `NetworkError`, retryable, counted by the breaker;
 * - undici's headers and body timeouts: `TimeoutError`, retryable, counted;
 * - headers or a body past undici's limits: `ParseError`, not retried, not counted;
 * - the request itself is invalid (`InvalidArgumentError`, `TypeError`, Node's ERR_INVALID_*):
 *   `ConfigError`, not retried, not counted, with a hint when a header value has a line break;
 * - any other error (TLS certificate refused, an unknown system error): `NetworkError` that is
 *   not retried but still counts against the origin, whose connections do not work.
 *
 * No message quotes a header value, and URLs in messages are redacted.
 */
export function classifyFailure(error: unknown, request: FailedRequest): FlywheelError {
  const code = errorCode(error);
  const { where, attempt } = request;
  const details = { code, attempt };
  const raw = describeError(error);
  const reason = scrub(raw, request);
  // A cause whose own message held a secret would carry it into logs that print causes.
  const cause = reason === raw ? error : undefined;

  if (isCallerMistake(error, code)) {
    const hint = headerHint(request.headers);
    return new ConfigError(
      `${where} was not sent: ${hint ?? `the request is invalid (${reason})`}`,
      {
        cause,
        details,
      },
    );
  }
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new TimeoutError(`${where} timed out: ${reason} (attempt ${attempt})`, {
      cause,
      details,
    });
  }
  if (code !== undefined && RESPONSE_CODES.has(code)) {
    return new ParseError(`${where} answered past a limit: ${reason}`, { cause, details });
  }

  const isTransient = code !== undefined && (TRANSIENT_CODES.has(code) || code.startsWith('HPE_'));
  return new NetworkError(`${where} failed: ${reason}`, {
    cause,
    details,
    isRetryable: isTransient,
  });
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;

  return typeof code === 'string' ? code : undefined;
}

function isCallerMistake(error: unknown, code: string | undefined): boolean {
  if (code !== undefined && CALLER_CODES.has(code)) return true;
  // A TypeError is a wrong value handed to undici or Node (a header that is not a string, say);
  // no server can cause one.
  return error instanceof TypeError;
}

/**
 * RFC 9110 5.5: a field value holds visible characters, spaces and tabs; CR, LF and NUL are
 * forbidden outright. The usual culprit is a token read from a file with its newline.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const BAD_VALUE_CHAR = /[\0-\x08\x0a-\x1f\x7f]/;
/** RFC 9110 5.1: a field name is a token. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;

function headerHint(headers: Readonly<Record<string, string>>): string | undefined {
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name)) {
      return `header name ${JSON.stringify(name)} is not a valid HTTP token (letters, digits and !#$%&'*+.^_\`|~-)`;
    }
    if (typeof value === 'string' && BAD_VALUE_CHAR.test(value)) {
      const what = /[\r\n]/.test(value) ? 'a line break' : 'a control character';
      return `the value of header "${name}" contains ${what} (a token read from a file with its trailing newline? trim it)`;
    }
  }

  return undefined;
}

/** Takes header values and URL credentials out of a message from undici or Node. */
function scrub(message: string, request: FailedRequest): string {
  let safe = message;
  for (const url of [request.url, request.wireUrl]) {
    safe = safe.split(url.href).join(redactUrl(url.href));
    for (const part of [url.password, url.username]) safe = replaceAll(safe, part);
    for (const [name, value] of url.searchParams) {
      if (SECRET_QUERY_KEYS.includes(name.toLowerCase())) safe = replaceAll(safe, value);
    }
  }
  for (const value of Object.values(request.headers)) {
    if (typeof value !== 'string') continue;
    for (const piece of [value, JSON.stringify(value).slice(1, -1), ...value.split(/[\r\n]+/)]) {
      safe = replaceAll(safe, piece.trim());
    }
  }

  return safe;
}

/** Pieces of a few characters (`1`, `br`) are not secrets and would mangle the message. */
function replaceAll(text: string, secret: string): string {
  if (secret.length < 4) return text;

  return text.split(secret).join('***');
}
