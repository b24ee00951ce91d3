import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldTurn } from 'node:timers/promises';

import { Client, Pool } from 'undici';

import {
  CancelledError,
  NetworkError,
  ReplayMissError,
  TimeoutError,
  describeError,
  isFlywheelError,
} from '../errors.ts';
import { silentLogger } from '../observe/logger.ts';
import type { Logger } from '../observe/logger.ts';
import { decodeBody } from './decode.ts';
import { redactUrl } from './redact.ts';
import { createResponse, flattenHeaders, statusError } from './response.ts';
import { anySignal } from './signals.ts';
import { buildUrl, normalizeMap } from './url.ts';
import {
  backoffDelayMs,
  isIdempotentMethod,
  isRetryableStatus,
  parseRetryAfter,
  sleep,
} from './retry.ts';
import { StatsTracker } from './stats.ts';
import type {
  ExchangeRecorder,
  HttpClient,
  HttpClientOptions,
  HttpMethod,
  HttpProfile,
  HttpRequestOptions,
  HttpResponse,
  HttpStats,
} from './types.ts';

/** Header a replay server sets on a 404 that no recording answers. */
export const REPLAY_MISS_HEADER = 'x-flywheel-replay';

const DEFAULTS = {
  connections: 20,
  timeoutMs: 15_000,
  maxAttempts: 3,
  backoffBaseMs: 250,
  maxWaitMs: 60_000,
  userAgent: 'flywheel/0.1',
  profile: 'optimized' as HttpProfile,
  keepAliveTimeoutMs: 4_000,
  keepAliveMaxTimeoutMs: 60_000,
};

/** Request headers that never reach the recorder. */
const UNRECORDED_HEADERS = new Set(['authorization', 'cookie']);

interface AttemptRequest {
  method: HttpMethod;
  origin: string;
  /** The URL as the caller asked for it, before replay rewriting. */
  url: URL;
  headers: Record<string, string>;
  body: string | undefined;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  attempt: number;
}

interface AttemptResult {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  wireUrl: string;
}

/**
 * Creates the HTTP client: an undici pool per origin with keep-alive and exact accounting,
 * retries with full-jitter backoff for idempotent requests, per-attempt timeouts, decoding of
 * gzip/deflate/br, and replay rewriting through `originMap`.
 *
 * Raises (from `request`): `HttpStatusError`, `NetworkError`, `TimeoutError`, `CancelledError`,
 * `ReplayMissError`, `ParseError` (undecodable body), `ConfigError` (unparseable URL).
 *
 * @example
 * const http = createHttpClient({ connections: 8, userAgent: 'flywheel/0.1' });
 * const page = (await http.request('https://example.com/api', { query: { limit: 10 } })).json();
 * await http.close();
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  return new UndiciHttpClient(options);
}

class UndiciHttpClient implements HttpClient {
  readonly #settings: typeof DEFAULTS;
  readonly #log: Logger;
  readonly #originMap: Map<string, string> | undefined;
  readonly #isStrict: boolean;
  readonly #recorder: ExchangeRecorder | undefined;
  readonly #stats = new StatsTracker();
  /** Keyed by the requested origin, so a rewritten origin still counts under its real name. */
  readonly #pools = new Map<string, Pool>();
  readonly #closing = new AbortController();

  constructor(options: HttpClientOptions) {
    const defined = Object.fromEntries(
      Object.entries(options).filter(([, value]) => value !== undefined),
    ) as Partial<typeof DEFAULTS>;
    this.#settings = { ...DEFAULTS, ...defined };
    this.#log = (options.logger ?? silentLogger).child({ component: 'http' });
    this.#originMap = options.originMap === undefined ? undefined : normalizeMap(options.originMap);
    this.#isStrict = options.strictOrigins ?? true;
    this.#recorder = options.recorder;
    // One listener per attempt in flight; hundreds are expected, not a leak.
    setMaxListeners(0, this.#closing.signal);
  }

  async request(url: string, options: HttpRequestOptions = {}): Promise<HttpResponse> {
    const method = options.method ?? 'GET';
    const target = this.#unrewrite(buildUrl(url, options.query));
    const origin = target.origin;
    const isIdempotent = options.isIdempotent ?? isIdempotentMethod(method);
    const maxAttempts = isIdempotent ? (options.maxAttempts ?? this.#settings.maxAttempts) : 1;
    const headers = this.#headers(options.headers);
    const started = performance.now();

    // A plain loop rather than cockatiel's retry(): its backoff could read the last result, but
    // the Retry-After override, per-origin waitMs accounting and handing back the final
    // retryable response (for acceptStatus 'any') would each need an adapter; inline is shorter.
    try {
      for (let attempt = 1; ; attempt++) {
        const request: AttemptRequest = {
          method,
          origin,
          url: target,
          headers,
          body: options.body,
          timeoutMs: options.timeoutMs ?? this.#settings.timeoutMs,
          signal: options.signal,
          attempt,
        };
        const outcome = await this.#attemptOnce(request).then(
          (result) => ({ result, error: undefined }),
          (error: unknown) => ({ result: undefined, error }),
        );
        const canRetry = attempt < maxAttempts;

        if (outcome.result !== undefined) {
          const { result } = outcome;
          if (isRetryableStatus(result.status) && canRetry) {
            const retryAfter = parseRetryAfter(result.headers['retry-after']);
            if (result.status === 429) {
              this.#log.warn({ origin, attempt, retryAfterMs: retryAfter }, 'rate limited');
            }
            await this.#wait(request, retryAfter, `status ${result.status}`);
            continue;
          }

          return this.#finish(request, result, options, started);
        }

        if (isFlywheelError(outcome.error) && outcome.error.isRetryable && canRetry) {
          await this.#wait(request, null, describeError(outcome.error));
          continue;
        }
        throw outcome.error;
      }
    } catch (error) {
      this.#stats.add(origin, 'errors');
      this.#log.debug({ origin, method, error: describeError(error) }, 'request failed');
      throw error;
    }
  }

  stats(): HttpStats {
    return this.#stats.snapshot();
  }

  async close(): Promise<void> {
    this.#closing.abort();
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy()));
  }

  #headers(extra: Record<string, string> | undefined): Record<string, string> {
    const headers: Record<string, string> = {
      'user-agent': this.#settings.userAgent,
      'accept-encoding': 'gzip, deflate, br',
    };
    for (const [name, value] of Object.entries(extra ?? {})) headers[name.toLowerCase()] = value;

    return headers;
  }

  /** Returns the response, or raises for a final non-accepted status or a replay miss. */
  #finish(
    request: AttemptRequest,
    result: AttemptResult,
    options: HttpRequestOptions,
    started: number,
  ): HttpResponse {
    const { method, url, attempt } = request;
    if (result.status === 404 && result.headers[REPLAY_MISS_HEADER] === 'miss') {
      throw new ReplayMissError(
        `No recording answers ${method} ${redactUrl(url.toString())}; record it or fix the request`,
        { details: { method, url: redactUrl(url.toString()) } },
      );
    }

    const decoded = decodeBody(result.body, result.headers['content-encoding'], result.wireUrl);
    const isOk = result.status >= 200 && result.status < 300;
    if (!isOk && options.acceptStatus !== 'any') {
      throw statusError(method, url.toString(), result.status, decoded);
    }

    return createResponse({
      status: result.status,
      headers: result.headers,
      body: decoded,
      url: result.wireUrl,
      attempts: attempt,
      durationMs: performance.now() - started,
    });
  }

  async #wait(request: AttemptRequest, retryAfterMs: number | null, reason: string): Promise<void> {
    const { maxWaitMs, backoffBaseMs } = this.#settings;
    const waitMs =
      retryAfterMs === null
        ? backoffDelayMs(request.attempt - 1, backoffBaseMs, maxWaitMs)
        : Math.min(retryAfterMs, maxWaitMs);
    this.#log.debug(
      { origin: request.origin, attempt: request.attempt, waitMs, reason },
      'retrying request',
    );

    const signal = anySignal([request.signal, this.#closing.signal]);
    try {
      await sleep(waitMs, signal.signal);
    } finally {
      signal.dispose();
    }
    this.#stats.add(request.origin, 'waitMs', waitMs);
  }

  /** One attempt: always reads or destroys the body, and maps failures to coded errors. */
  async #attemptOnce(request: AttemptRequest): Promise<AttemptResult> {
    const { method, origin, url, headers, body, attempt } = request;
    if (this.#closing.signal.aborted) {
      throw new CancelledError(`${method} ${redactUrl(url.toString())}: the HTTP client is closed`);
    }
    const wireUrl = this.#rewrite(url);
    const isNaive = this.#settings.profile === 'naive';
    const dispatcher = isNaive
      ? this.#freshClient(origin, wireUrl.origin)
      : this.#pool(origin, wireUrl);

    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, request.timeoutMs);
    const abort = anySignal([request.signal, this.#closing.signal], () => clearTimeout(timer));

    this.#stats.add(origin, 'requests');
    if (attempt > 1) this.#stats.add(origin, 'retries');
    if (body !== undefined) this.#stats.add(origin, 'bytesOut', Buffer.byteLength(body));

    try {
      const response = await dispatcher.request({
        path: `${wireUrl.pathname}${wireUrl.search}`,
        method,
        headers,
        body,
        signal: abort.signal,
      });
      const bytes = await this.#readBody(origin, response.body);
      // undici frees a keep-alive socket one event-loop turn after the response ends (client-h1.js,
      // onMessageComplete: `setImmediate(client[kResume])`); without this yield a caller's next
      // sequential request would find the socket busy and open a second connection.
      if (!isNaive) await yieldTurn();
      const result: AttemptResult = {
        status: response.statusCode,
        headers: flattenHeaders(response.headers),
        body: bytes,
        wireUrl: redactUrl(wireUrl.toString()),
      };
      this.#record(request, result, response.statusText);

      return result;
    } catch (error) {
      throw this.#classify(error, request, timedOut);
    } finally {
      clearTimeout(timer);
      abort.dispose();
      // The naive profile pays for a fresh connection on every request, on purpose.
      if (isNaive) await (dispatcher as Client).destroy();
    }
  }

  async #readBody(
    origin: string,
    body: AsyncIterable<Buffer> & { destroy(): void },
  ): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of body) {
        chunks.push(chunk);
        size += chunk.length;
      }
    } catch (error) {
      body.destroy();
      throw error;
    } finally {
      this.#stats.add(origin, 'bytesIn', size);
    }

    return Buffer.concat(chunks, size);
  }

  #record(request: AttemptRequest, result: AttemptResult, statusMessage: string): void {
    if (this.#recorder === undefined) return;
    const requestHeaders = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => !UNRECORDED_HEADERS.has(name)),
    );
    try {
      this.#recorder.record({
        method: request.method,
        url: request.url.toString(),
        requestHeaders,
        requestBody: request.body ?? null,
        status: result.status,
        statusMessage,
        responseHeaders: result.headers,
        responseBody: result.body,
        recordedAt: new Date().toISOString(),
      });
    } catch (error) {
      // A broken recorder must not fail the run that it only observes.
      this.#log.warn({ origin: request.origin, error: describeError(error) }, 'recorder failed');
    }
  }

  #classify(error: unknown, request: AttemptRequest, timedOut: boolean): Error {
    const { method, url, attempt, timeoutMs } = request;
    const where = `${method} ${redactUrl(url.toString())}`;
    if (request.signal?.aborted === true || this.#closing.signal.aborted) {
      return new CancelledError(`${where} was cancelled`, { cause: error });
    }
    if (timedOut) {
      return new TimeoutError(`${where} took longer than ${timeoutMs} ms (attempt ${attempt})`, {
        cause: error,
        details: { timeoutMs, attempt },
      });
    }
    if (isFlywheelError(error)) return error;
    const code = (error as { code?: unknown } | null)?.code;

    return new NetworkError(`${where} failed: ${describeError(error)}`, {
      cause: error,
      details: { code: typeof code === 'string' ? code : undefined, attempt },
    });
  }

  #rewrite(url: URL): URL {
    if (this.#originMap === undefined) return url;
    const mapped = this.#originMap.get(url.origin);
    if (mapped === undefined) {
      if (!this.#isStrict) return url;
      throw new ReplayMissError(
        `Origin ${url.origin} has no replay server (replaying: ${[...this.#originMap.keys()].join(', ')}); replay never goes to the network`,
        { details: { origin: url.origin } },
      );
    }

    return new URL(`${url.pathname}${url.search}`, mapped);
  }

  /**
   * A replay server rewrites recorded links (`Link`, `Location`) to its local origin; following
   * one must stay allowed and count under the recorded origin, so it is mapped back first.
   */
  #unrewrite(url: URL): URL {
    if (this.#originMap === undefined) return url;
    for (const [recorded, local] of this.#originMap) {
      if (local === url.origin) return new URL(`${url.pathname}${url.search}`, recorded);
    }

    return url;
  }

  #pool(origin: string, wireUrl: URL): Pool {
    let pool = this.#pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(wireUrl.origin, {
        connections: this.#settings.connections,
        keepAliveTimeout: this.#settings.keepAliveTimeoutMs,
        keepAliveMaxTimeout: this.#settings.keepAliveMaxTimeoutMs,
      });
      // The pool's own event is exact and per client, unlike the process-global diagnostics
      // channels, so two clients in one process never see each other's connections.
      pool.on('connect', () => this.#stats.add(origin, 'connections'));
      this.#pools.set(origin, pool);
    }

    return pool;
  }

  #freshClient(origin: string, wireOrigin: string): Client {
    const client = new Client(wireOrigin, { keepAliveTimeout: 1, pipelining: 1 });
    client.on('connect', () => this.#stats.add(origin, 'connections'));

    return client;
  }
}
