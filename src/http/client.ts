import { performance } from 'node:perf_hooks';
import { setImmediate as yieldTurn } from 'node:timers/promises';

import { RetryPolicy, handleWhen, retry } from 'cockatiel';
import type { Dispatcher } from 'undici';

import { describeError } from '../errors.ts';
import { callObserver, silentLogger } from '../observe/logger.ts';
import type { Logger } from '../observe/logger.ts';
import { RequestRun, recordExchange, type AttemptResult, type RequestPlan } from './attempt.ts';
import { breakerVerdict, createBreakers, type OriginBreaker } from './breaker.ts';
import { startExchange, type Exchange, type RawResponse } from './dispatch.ts';
import { PoolManager } from './pools.ts';
import { RateLimiter, type RequestEnd } from './rate-limiter.ts';
import { finishResponse, throwIfReplayMiss } from './response.ts';
import {
  backoffDelayMs,
  isIdempotentMethod,
  isRetryableFailure,
  isRetryableStatus,
  parseRetryAfter,
  sleep,
} from './retry.ts';
import { AbortFanout } from './signals.ts';
import { StatsTracker } from './stats.ts';
import type {
  CircuitStateName,
  HttpClient,
  HttpClientOptions,
  HttpEvent,
  HttpRequestOptions,
  HttpResponse,
  HttpStats,
} from './types.ts';
import { OriginRewriter, buildUrl } from './url.ts';

export { REPLAY_MISS_HEADER } from './response.ts';

/** @internal The defaults of `HttpClientOptions`; docs/http.md lists the same values. */
export const HTTP_DEFAULTS = {
  connections: 20,
  timeoutMs: 15_000,
  deadlineMs: 120_000,
  maxAttempts: 3,
  backoffBaseMs: 250,
  maxWaitMs: 60_000,
  userAgent: 'flywheel/0.1',
  profile: 'optimized' as 'optimized' | 'naive',
  keepAliveTimeoutMs: 4_000,
  keepAliveMaxTimeoutMs: 60_000,
  keepAliveThresholdMs: 1_000,
  maxResponseBytes: 64 * 1024 * 1024,
  paceBelowRatio: 0.5,
};

/** Statuses whose Retry-After pauses the whole rate key (RFC 9110 10.2.3, RFC 6585 4). */
const PAUSING_STATUSES = new Set([429, 503]);

/**
 * Creates the HTTP client: an undici pool per origin with keep-alive and exact accounting, a rate
 * limiter per origin or key, a circuit breaker per origin, retries with full-jitter backoff,
 * per-attempt timeouts and a deadline per request, decoding of gzip/deflate/br, and replay
 * rewriting through `originMap`. See docs/http.md.
 *
 * Raises (from `request`): `HttpStatusError`, `NetworkError`, `TimeoutError`, `CancelledError`,
 * `CircuitOpenError`, `ReplayMissError`, `ParseError` (undecodable or oversized body),
 * `ConfigError` (unparseable URL, or a request undici refuses to send: a header value with a line
 * break, say; never retried nor counted by the breaker).
 *
 * @example
 * const http = createHttpClient({ connections: 8, userAgent: 'flywheel/0.1' });
 * const page = (await http.request('https://example.com/api', { query: { limit: 10 } })).json();
 * await http.close();
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  return new UndiciHttpClient(options);
}

type Settings = typeof HTTP_DEFAULTS;

class UndiciHttpClient implements HttpClient {
  readonly #settings: Settings;
  readonly #options: HttpClientOptions;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #origins: OriginRewriter;
  readonly #stats = new StatsTracker();
  readonly #pools: PoolManager;
  readonly #limiter: RateLimiter;
  readonly #breakers: (origin: string) => OriginBreaker | undefined;
  readonly #active = new Set<RequestRun>();
  readonly #aborts = new AbortFanout();
  readonly #retries = new Map<string, RetryPolicy>();
  readonly #defaultHeaders: Record<string, string>;
  #isClosed = false;

  constructor(options: HttpClientOptions) {
    this.#settings = { ...HTTP_DEFAULTS, ...(definedOnly(options) as Partial<Settings>) };
    this.#options = options;
    this.#log = (options.logger ?? silentLogger).child({ component: 'http' });
    // A sub-millisecond clock on the epoch scale: rate windows compare times a few ms apart.
    this.#now = options.now ?? (() => performance.timeOrigin + performance.now());
    this.#defaultHeaders = {
      'user-agent': this.#settings.userAgent,
      'accept-encoding': 'gzip, deflate, br',
    };
    this.#origins = new OriginRewriter(options.originMap, options.strictOrigins ?? true);
    this.#pools = new PoolManager(this.#settings, (origin) =>
      this.#stats.add(origin, 'connections'),
    );
    // Keys may be written as any URL of the origin (`https://api.example/v1/`).
    const rules = new Map(
      Object.entries(options.rateLimits ?? {}).map(([key, rule]) => [new URL(key).origin, rule]),
    );
    this.#limiter = new RateLimiter({
      ruleFor: (origin) => rules.get(origin),
      maxWaitMs: this.#settings.maxWaitMs,
      paceBelowRatio: this.#settings.paceBelowRatio,
      now: this.#now,
      onWait: (origin, key, waitMs) => this.#onRateWait(origin, key, waitMs),
    });
    this.#breakers = createBreakers(options.breaker, {
      onTransition: (origin, from, to) => this.#onCircuit(origin, from, to),
      onReject: (origin) => this.#stats.add(origin, 'circuitRejections'),
    });
  }

  async request(url: string, options: HttpRequestOptions = {}): Promise<HttpResponse> {
    const run = new RequestRun(this.#plan(url, options), this.#aborts);
    const started = performance.now();
    if (this.#isClosed) throw run.cancelled('was not sent: the HTTP client is closed');
    this.#active.add(run);
    run.start();

    try {
      const result = await this.#attempts(run);
      return finishResponse(run, result, started, this.#settings.maxResponseBytes);
    } catch (error) {
      const failure = run.stopReason ?? error;
      this.#stats.add(run.plan.origin, 'errors');
      this.#log.debug(
        { origin: run.plan.origin, method: run.plan.method, error: describeError(failure) },
        'request failed',
      );
      throw failure;
    } finally {
      run.finish();
      this.#active.delete(run);
    }
  }

  stats(): HttpStats {
    return this.#stats.snapshot();
  }

  async close(): Promise<void> {
    this.#isClosed = true;
    for (const run of this.#active)
      run.stop(run.cancelled('was cancelled: the HTTP client closed'));
    this.#limiter.close();
    await this.#pools.close();
  }

  #plan(url: string, options: HttpRequestOptions): RequestPlan {
    const method = options.method ?? 'GET';
    const target = this.#origins.unrewrite(buildUrl(url, options.query));
    const isIdempotent = options.isIdempotent ?? isIdempotentMethod(method);

    return {
      method,
      origin: target.origin,
      url: target,
      wireUrl: this.#origins.rewrite(target),
      headers: this.#headers(options.headers),
      body: options.body,
      isIdempotent,
      maxAttempts: options.maxAttempts ?? this.#settings.maxAttempts,
      timeoutMs: options.timeoutMs ?? this.#settings.timeoutMs,
      deadlineMs: options.deadlineMs ?? this.#settings.deadlineMs,
      rateKey: options.rateLimit?.key,
      dialect: options.rateLimit?.dialect ?? 'auto',
      acceptStatus: options.acceptStatus ?? 'ok',
      signal: options.signal,
    };
  }

  /**
   * The first attempt runs directly and, when it fails in a way a retry may cure, cockatiel runs
   * the rest: two async frames fewer on the path nearly every request takes. The test for the
   * first attempt is the same pair of predicates cockatiel's policy uses for the others.
   */
  async #attempts(run: RequestRun): Promise<AttemptResult> {
    const { isIdempotent, maxAttempts } = run.plan;
    let first: AttemptResult;
    try {
      first = await this.#attempt(run, 0);
    } catch (error) {
      if (maxAttempts <= 1 || !isRetryableFailure(error, isIdempotent)) throw error;
      return this.#retryPolicy(run.plan).execute(({ attempt }) => this.#attempt(run, attempt + 1));
    }
    if (maxAttempts <= 1 || !isRetryableStatus(first.status, isIdempotent)) return first;

    return this.#retryPolicy(run.plan).execute(({ attempt }) => this.#attempt(run, attempt + 1));
  }

  /**
   * The attempts after the first: cockatiel decides whether to try again (its filters and attempt
   * count). The wait before each is ours, in `#attempt`, because RetryPolicy sleeps on a bare
   * setTimeout that no signal can cut short (cockatiel 3.2.1, RetryPolicy.execute), and a request
   * must stop at its deadline or its caller's abort.
   */
  #retryPolicy(plan: RequestPlan): RetryPolicy {
    const id = `${plan.isIdempotent} ${plan.maxAttempts}`;
    let policy = this.#retries.get(id);
    if (policy === undefined) {
      const { isIdempotent } = plan;
      const handler = handleWhen((error) => isRetryableFailure(error, isIdempotent)).orWhenResult(
        (value) => isRetryableStatus((value as AttemptResult).status, isIdempotent),
      );
      // The first attempt already ran: the policy's own first call is the second attempt.
      policy = retry(handler, { maxAttempts: Math.max(0, plan.maxAttempts - 2) });
      this.#retries.set(id, policy);
    }

    return policy;
  }

  /** One attempt: the wait before it, its rate-limit turn, the breaker, the exchange. */
  async #attempt(run: RequestRun, retryIndex: number): Promise<AttemptResult> {
    const { plan } = run;
    run.attempts = retryIndex + 1;
    if (retryIndex > 0) {
      run.armDeadline();
      run.throwIfStopped();
      await this.#backoff(run, retryIndex);
    }
    run.throwIfStopped();
    let ticket = this.#limiter.tryAcquire(plan.origin, plan.rateKey);
    if (ticket === undefined) {
      run.armDeadline();
      const waiting = this.#limiter.acquire(plan.origin, plan.rateKey, run.waitSignal());
      ticket = await this.#wait(run, waiting);
    }
    const end: RequestEnd = { wasSent: false };

    try {
      const breaker = this.#breakers(plan.origin);
      const result =
        breaker === undefined
          ? await this.#send(run, retryIndex + 1, end)
          : await breaker.execute(() => this.#send(run, retryIndex + 1, end), breakerVerdict);

      end.headers = result.headers;
      end.dialect = plan.dialect;
      this.#readRetryAfter(run, result);
      return result;
    } finally {
      ticket.release(end);
    }
  }

  /** Awaits a wait that the run's signal cuts short, raising the run's own reason then. */
  async #wait<T>(run: RequestRun, waiting: Promise<T>): Promise<T> {
    try {
      return await waiting;
    } catch (error) {
      throw run.stopReason ?? error;
    }
  }

  async #backoff(run: RequestRun, retryIndex: number): Promise<void> {
    const { origin } = run.plan;
    this.#stats.add(origin, 'retries');
    // A Retry-After already paused the whole key in the limiter; waiting here too would double it.
    const isRetryAfter = run.retryAfterMs !== null;
    const { backoffBaseMs, maxWaitMs } = this.#settings;
    const waitMs = isRetryAfter ? 0 : backoffDelayMs(retryIndex - 1, backoffBaseMs, maxWaitMs);
    const reason = isRetryAfter ? 'retry-after' : 'backoff';
    this.#emit({ type: 'retry', origin, attempt: retryIndex + 1, waitMs, reason });
    this.#log.debug({ origin, attempt: retryIndex + 1, waitMs, reason }, 'retrying request');
    if (waitMs === 0) return;

    await this.#wait(run, sleep(waitMs, run.waitSignal()));
    this.#stats.add(origin, 'waitMs', waitMs);
  }

  #readRetryAfter(run: RequestRun, result: AttemptResult): void {
    run.retryAfterMs = null;
    if (!PAUSING_STATUSES.has(result.status)) return;
    const { origin, rateKey } = run.plan;
    const waitMs = parseRetryAfter(result.headers['retry-after'], this.#now());
    if (result.status === 429) this.#log.warn({ origin, retryAfterMs: waitMs }, 'rate limited');
    if (waitMs === null) return;

    run.retryAfterMs = Math.min(waitMs, this.#settings.maxWaitMs);
    this.#limiter.pause(origin, rateKey, this.#now() + run.retryAfterMs);
  }

  /** Sends the request once and collects its body; names any failure. */
  async #send(run: RequestRun, attempt: number, end: RequestEnd): Promise<AttemptResult> {
    run.throwIfStopped();
    end.wasSent = true;
    const { plan } = run;
    const { origin, wireUrl } = plan;
    const lease = this.#pools.lease(origin, wireUrl.origin);
    const options: Dispatcher.DispatchOptions = {
      origin: wireUrl.origin,
      path: `${wireUrl.pathname}${wireUrl.search}`,
      method: plan.method,
      headers: plan.headers,
      body: plan.body ?? null,
    };
    const timer = setTimeout(() => exchange?.abort(run.attemptTimeout(attempt)), plan.timeoutMs);
    let exchange: Exchange | undefined;

    try {
      exchange = this.#exchange(run, lease.dispatcher, options, attempt);
      let response: RawResponse;
      try {
        response = await exchange.response;
      } catch (error) {
        if (!this.#isStaleSocket(run, exchange, error)) throw error;
        // The server closed an idle socket as we wrote on it: replay once on a new connection.
        this.#log.debug({ origin, attempt }, 'replaying on a fresh connection');
        this.#stats.add(origin, 'retries');
        exchange = this.#exchange(run, this.#pools.fresh(origin, wireUrl.origin), options, attempt);
        response = await exchange.response;
      }
      // undici frees a keep-alive socket one event-loop turn after the response ends (client-h1.js,
      // onMessageComplete: `setImmediate(client[kResume])`); without this yield a caller's next
      // sequential request would find the socket busy and open a second connection. A pool that
      // has all its connections queues that request instead, so the turn is only paid below it.
      if (this.#settings.profile !== 'naive' && !this.#pools.isFull(origin)) await yieldTurn();
      throwIfReplayMiss(run, response);
      const result: AttemptResult = {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        body: response.body,
        attempt,
      };
      this.#record(plan, result);

      return result;
    } catch (error) {
      throw run.classify(error, attempt);
    } finally {
      clearTimeout(timer);
      run.track(undefined);
      await lease.done();
    }
  }

  #exchange(
    run: RequestRun,
    dispatcher: Dispatcher,
    options: Dispatcher.DispatchOptions,
    attempt: number,
  ): Exchange {
    const { body, origin } = run.plan;
    const { maxResponseBytes } = this.#settings;
    const exchange = startExchange(dispatcher, options, {
      maxBytes: maxResponseBytes,
      tooLarge: () => run.tooLarge(maxResponseBytes, attempt),
      stats: this.#stats.entry(origin),
      bytesOut: body === undefined ? 0 : Buffer.byteLength(body),
    });
    run.track(exchange);

    return exchange;
  }

  /** A failure before any response byte on a socket that had served before, for a repeatable request. */
  #isStaleSocket(run: RequestRun, exchange: Exchange, error: unknown): boolean {
    return (
      run.plan.isIdempotent &&
      run.stopReason === undefined &&
      !exchange.hasResponse &&
      this.#pools.isReusedSocketFailure(error)
    );
  }

  #headers(extra: Record<string, string> | undefined): Record<string, string> {
    // undici never writes to the headers it is given, so requests without their own share one.
    if (extra === undefined) return this.#defaultHeaders;
    const headers = { ...this.#defaultHeaders };
    for (const [name, value] of Object.entries(extra)) headers[name.toLowerCase()] = value;

    return headers;
  }

  #onCircuit(origin: string, from: CircuitStateName, to: CircuitStateName): void {
    this.#stats.setCircuit(origin, to);
    if (to === 'open') this.#stats.add(origin, 'circuitOpens');
    if (to === 'open') this.#log.warn({ origin, from }, 'circuit open');
    else this.#log.info({ origin, from, to }, `circuit ${to}`);
    this.#emit({ type: 'circuit', origin, from, to });
  }

  #onRateWait(origin: string, key: string, waitMs: number): void {
    this.#stats.add(origin, 'rateLimitWaits');
    this.#stats.add(origin, 'rateLimitWaitMs', waitMs);
    this.#stats.add(origin, 'waitMs', waitMs);
    this.#log.debug({ origin, key, waitMs }, 'waited for the rate limit');
    this.#emit({ type: 'rate-limited', origin, key, waitMs });
  }

  /**
   * Hands an event to `onEvent`. A callback that throws is logged, never raised: it is called
   * from inside the rate limiter's queue and the breaker's state change, where a throw would
   * strand waiting requests or fail one that only happened to be observed.
   */
  #emit(event: HttpEvent): void {
    const onEvent = this.#options.onEvent;
    if (onEvent === undefined) return;
    callObserver(this.#log, event.type, 'onEvent failed', () => onEvent(event));
  }

  #record(plan: RequestPlan, result: AttemptResult): void {
    const recorder = this.#options.recorder;
    if (recorder === undefined) return;
    try {
      recordExchange(recorder, plan, result);
    } catch (error) {
      // A broken recorder must not fail the run that it only observes.
      this.#log.warn({ origin: plan.origin, error: describeError(error) }, 'recorder failed');
    }
  }
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
