/** The HTTP client contract that platforms and operators use. Implemented in `client.ts`. */
import type { Logger } from '../observe/logger.ts';

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
  /** Attempts in all, first included. Default: the client's `maxAttempts` for idempotent requests, 1 otherwise. */
  maxAttempts?: number;
  /** Whether the request may be retried. Default: true for GET, HEAD, PUT and DELETE. */
  isIdempotent?: boolean;
  /**
   * Statuses returned to the caller instead of raising `HttpStatusError`. Default: 2xx only.
   * Health checks pass `'any'` to judge the status themselves.
   */
  acceptStatus?: 'ok' | 'any';
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
  requests: number;
  /** New TCP/TLS connections opened. */
  connections: number;
  bytesIn: number;
  bytesOut: number;
  /** Attempts after the first. */
  retries: number;
  /** Time spent waiting for rate limits and Retry-After, milliseconds. */
  waitMs: number;
  errors: number;
}

export interface HttpStats {
  requests: number;
  connections: number;
  bytesIn: number;
  bytesOut: number;
  retries: number;
  waitMs: number;
  errors: number;
  /** 1 - connections / requests, or null before any request. */
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
}
