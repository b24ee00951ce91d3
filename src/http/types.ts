/** The HTTP client contract that platforms and operators use. Implemented in `client.ts`. */

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
