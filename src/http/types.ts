/** The HTTP client contract that platforms and operators use. Implemented in `client.ts`. */
import type { Logger } from '../observe/logger.ts';
import type { LimitDialect } from './limit-headers.ts';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

export type QueryValue = string | number | boolean | undefined | null | readonly string[];

export interface HttpRequestOptions {
  /** Default: GET. */
  method?: HttpMethod;
  headers?: Record<string, string>;
  /** Appended to the URL in insertion order; `undefined`/`null` values are left out, arrays repeat the key. */
  query?: Record<string, QueryValue>;
  body?: string;
  /** Aborts the request and frees its socket. */
  signal?: AbortSignal;
  /** Timeout of one attempt, in milliseconds. Default: the client's `timeoutMs`. */
  timeoutMs?: number;
  /**
   * Time allowed for the whole request, waits and retries included, milliseconds; past it the
   * request raises `TimeoutError`. Default: the client's `deadlineMs`.
   */
  deadlineMs?: number;
  /** Attempts in all, first included. Default: the client's `maxAttempts` for idempotent requests, 1 otherwise. */
  maxAttempts?: number;
  /** Whether the request may be retried. Default: true for GET, HEAD, PUT and DELETE. */
  isIdempotent?: boolean;
  /**
   * Statuses returned to the caller instead of raising `HttpStatusError`. Default: 2xx only.
   * Health checks pass `'any'` to judge the status themselves.
   */
  acceptStatus?: 'ok' | 'any';
  /** How the platform limits this request; see `RequestRateLimit`. Default: per origin, `auto`. */
  rateLimit?: RequestRateLimit;
}

/**
 * How a platform limits a request. Platforms that count per account or token name the key, so a
 * 429 or an exhausted quota pauses that key only; the dialect says how to read its headers.
 */
export interface RequestRateLimit {
  /**
   * The account or token the platform counts this request against, e.g. `app` for Reddit's
   * app-only token. Never a secret: it appears in logs. Default: the origin as a whole.
   */
  key?: string;
  /** The platform's limit-header dialect. Default: `auto`. */
  dialect?: LimitDialect;
}

export interface HttpResponse {
  status: number;
  /** Lower-case header names; repeated headers joined with ", " (set-cookie is dropped). */
  headers: Record<string, string>;
  /** The body bytes, after content-encoding was undone. */
  body: Buffer;
  /** The URL that was requested (after replay rewriting), without credentials. */
  url: string;
  /** Attempts used, first included. */
  attempts: number;
  /** Time from first attempt to full body, milliseconds. */
  durationMs: number;
  text(): string;
  /** Parses the body as JSON; raises `ParseError` naming the URL and what was found. */
  json<T = unknown>(): T;
}

/** Exact counts for one origin since the client was created (or since `resetStats`). */
export interface OriginStats {
  origin: string;
  /** Attempts written on a socket. */
  requests: number;
  /**
   * Attempts answered with a status line (any status). Absent in figures built by hand or
   * stored before it was counted.
   */
  responses?: number;
  /** New TCP/TLS connections opened. */
  connections: number;
  bytesIn: number;
  bytesOut: number;
  /** Attempts after the first. */
  retries: number;
  /** Time spent waiting: backoff before retries plus rate-limit waits, milliseconds. */
  waitMs: number;
  /** Requests that failed after all their attempts. */
  errors: number;
  /** Attempts that had to wait for the rate limiter (a configured rate, a quota or Retry-After). */
  rateLimitWaits: number;
  /** Time those attempts waited, milliseconds (included in `waitMs`). */
  rateLimitWaitMs: number;
  /** The origin's circuit breaker now; `closed` when breakers are off. */
  circuitState: CircuitStateName;
  /** Times the circuit opened. */
  circuitOpens: number;
  /** Attempts the breaker refused (open, or half-open with its probe in flight). */
  circuitRejections: number;
}

/** A circuit breaker's state as reported in stats, metrics and the run report. */
export type CircuitStateName = 'closed' | 'open' | 'half-open';

/** Events a client emits for state changes, so metrics and dashboards need not parse logs. */
export type HttpEvent =
  | { type: 'circuit'; origin: string; from: CircuitStateName; to: CircuitStateName }
  | { type: 'rate-limited'; origin: string; key: string; waitMs: number }
  | { type: 'retry'; origin: string; attempt: number; waitMs: number; reason: string };

export interface HttpStats {
  requests: number;
  /** Attempts answered with a status line; absent in figures built by hand. */
  responses?: number;
  connections: number;
  bytesIn: number;
  bytesOut: number;
  retries: number;
  waitMs: number;
  errors: number;
  /** 1 - connections / requests, or null when no request got an answer (see `reuseRatio`). */
  reuseRatio: number | null;
  byOrigin: OriginStats[];
}

export interface HttpClient {
  request(url: string, options?: HttpRequestOptions): Promise<HttpResponse>;
  /** A snapshot of the counts. */
  stats(): HttpStats;
  /** Closes every pool; pending requests are aborted. */
  close(): Promise<void>;
}

/** One finished exchange, handed to an `ExchangeRecorder` so replay can write cassettes. */
export interface RecordedExchange {
  method: HttpMethod;
  /** The URL as requested, before replay rewriting, query included (not yet redacted). */
  url: string;
  /** Request headers sent, lower-case names, without `authorization` and `cookie`. */
  requestHeaders: Record<string, string>;
  requestBody: string | null;
  status: number;
  /** The reason phrase the server sent, e.g. `OK`; may be empty. */
  statusMessage: string;
  /** Response headers as received (lower-case names), `content-encoding` included. */
  responseHeaders: Record<string, string>;
  /** The body bytes as received on the wire, before content-encoding was undone. */
  responseBody: Buffer;
  /** ISO 8601 time the response finished. */
  recordedAt: string;
}

/** Receives every completed exchange of a client (see `src/replay` for the cassette writer). */
export interface ExchangeRecorder {
  record(exchange: RecordedExchange): void;
}

/** How the client talks to origins: pooled keep-alive connections, or one connection per request. */
export type HttpProfile = 'optimized' | 'naive';

/** A fixed rate: at most `limit` requests in any `intervalMs` window. */
export interface RateLimitRule {
  limit: number;
  /** Window length, milliseconds. */
  intervalMs: number;
}

/** Options of the per-origin circuit breaker. */
export interface BreakerOptions {
  /** Opens after this many failures in a row; 0 turns the rule off. Default: 5. */
  consecutiveFailures?: number;
  /** Opens when this share of attempts fail within `samplingWindowMs`; 0 turns it off. Default: 0.5. */
  failureRatio?: number;
  /** Window of the failure ratio, milliseconds. Default: 30000. */
  samplingWindowMs?: number;
  /** Attempts per second the ratio rule needs before it may open. Default: 1. */
  minimumRps?: number;
  /** Rest after opening before one probe may go, milliseconds. Default: 10000. */
  halfOpenAfterMs?: number;
  /** Successful probes in a row that close the circuit. Default: 2. */
  successesToClose?: number;
}

/** Options of `createHttpClient`. */
export interface HttpClientOptions {
  /** Connections per origin. Default: 20. */
  connections?: number;
  /** Timeout of one attempt, milliseconds. Default: 15000. */
  timeoutMs?: number;
  /** Attempts in all for idempotent requests, first included. Default: 3. */
  maxAttempts?: number;
  /** First backoff step, milliseconds; doubles each retry, with full jitter. Default: 250. */
  backoffBaseMs?: number;
  /** Longest backoff or Retry-After wait honoured, milliseconds. Default: 60000. */
  maxWaitMs?: number;
  /** Sent as `user-agent` unless the request sets its own. Default: `flywheel/0.1`. */
  userAgent?: string;
  /** Default: silent. */
  logger?: Logger;
  /** `naive` opens a new connection per request (for A/B benchmarks). Default: `optimized`. */
  profile?: HttpProfile;
  /** Idle keep-alive time when the server gives no hint, milliseconds. Default: 4000. */
  keepAliveTimeoutMs?: number;
  /** Upper bound on a server's keep-alive hint, milliseconds. Default: 60000. */
  keepAliveMaxTimeoutMs?: number;
  /**
   * Replay: recorded origin (`https://oauth.reddit.com`) to the origin that answers instead
   * (`http://127.0.0.1:40123`); path and query are kept.
   */
  originMap?: ReadonlyMap<string, string>;
  /**
   * With an `originMap`, a request to an origin missing from it raises `ReplayMissError` instead of
   * going to the network. Default: true.
   */
  strictOrigins?: boolean;
  /** Called with every completed exchange. Default: none. */
  recorder?: ExchangeRecorder;
  /** Time allowed for one request, waits and retries included, milliseconds. Default: 120000. */
  deadlineMs?: number;
  /**
   * Subtracted from a server's `Keep-Alive: timeout=` hint so the client drops an idle socket
   * before the server does, milliseconds. Default: 1000.
   */
  keepAliveThresholdMs?: number;
  /**
   * Largest response body accepted, bytes, on the wire and once decoded (gzip, deflate, br); a
   * larger one fails with `ParseError`. Default: 64 MiB.
   */
  maxResponseBytes?: number;
  /** Per-origin circuit breaker; `false` turns it off. Default: the `BreakerOptions` defaults. */
  breaker?: BreakerOptions | false;
  /**
   * Fixed rates by origin (`https://oauth.reddit.com`), applied per rate key when a request
   * names one. Default: none (only the platforms' headers and Retry-After pace requests).
   */
  rateLimits?: Readonly<Record<string, RateLimitRule>>;
  /**
   * Once a quota read from limit headers falls below this share of its limit, the rest is spread
   * evenly until the reset; 0 only stops at an exhausted quota, 1 always spreads. Default: 0.5.
   */
  paceBelowRatio?: number;
  /**
   * Receives circuit, rate-limit and retry events. One that throws is logged at error level, not
   * raised. Default: none.
   */
  onEvent?: (event: HttpEvent) => void;
  /**
   * The clock of rate limits and Retry-After dates, ms since the epoch. Default: a sub-millisecond
   * clock (`performance.timeOrigin + performance.now()`).
   */
  now?: () => number;
}
