/**
 * The state of one request across its attempts: what to send, its deadline, and how to stop it.
 *
 * Cancellation, the deadline and the per-attempt timeout are plain timers and undici's own abort
 * function rather than cockatiel's TimeoutPolicy: two nested policies (deadline, attempt) each
 * derive an AbortController and listen on their parent, and undici then listens on the result.
 * "Where the CPU goes" in `npm run bench:http` measures that at 1.8x to 2.1x the CPU of the
 * request it guards (about 35 µs more on a 2 KB response). Here a request makes no
 * AbortController unless it has to wait, and its deadline timer only once a wait or a retry
 * needs it.
 */
import { performance } from 'node:perf_hooks';

import { CancelledError, ParseError, TimeoutError, isFlywheelError } from '../errors.ts';
import type { Exchange } from './dispatch.ts';
import { classifyFailure } from './failures.ts';
import type { AbortFanout } from './signals.ts';
import type { LimitDialect } from './limit-headers.ts';
import { SECRET_QUERY_KEYS, redactUrl } from './redact.ts';
import type { ExchangeRecorder, HttpMethod } from './types.ts';

/** @internal What a request sends and how it may be retried, worked out once. */
export interface RequestPlan {
  method: HttpMethod;
  /** The origin requested (before replay rewriting); stats, pools and breakers key on it. */
  origin: string;
  /** The URL as the caller asked for it, before replay rewriting. */
  url: URL;
  /** The URL actually sent to. */
  wireUrl: URL;
  headers: Record<string, string>;
  body: string | undefined;
  isIdempotent: boolean;
  maxAttempts: number;
  timeoutMs: number;
  deadlineMs: number;
  rateKey: string | undefined;
  dialect: LimitDialect;
  acceptStatus: 'ok' | 'any';
  signal: AbortSignal | undefined;
}

/** @internal What a finished attempt produced. */
export interface AttemptResult {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Attempts used, first included. */
  attempt: number;
}

/** @internal Request headers that never reach the recorder. */
const UNRECORDED_HEADERS = new Set(['authorization', 'cookie']);

/** @internal One request in flight; see the file comment. */
export class RequestRun {
  readonly plan: RequestPlan;
  /** Retry-After of the previous answer, milliseconds, when it had one. */
  retryAfterMs: number | null = null;
  attempts = 0;
  #stopReason: Error | undefined;
  #exchange: Exchange | undefined;
  #waits: AbortController | undefined;
  #deadline: NodeJS.Timeout | undefined;
  #startedAt = 0;
  #where: string | undefined;

  readonly #aborts: AbortFanout;

  /** `aborts` watches the caller's signal for this run (one listener per signal, not per run). */
  constructor(plan: RequestPlan, aborts: AbortFanout) {
    this.plan = plan;
    this.#aborts = aborts;
  }

  /** `METHOD url` with secrets redacted, for messages. */
  get where(): string {
    this.#where ??= `${this.plan.method} ${redactedHref(this.plan.url)}`;
    return this.#where;
  }

  /** Why the request stopped (cancelled or past its deadline), if it did. */
  get stopReason(): Error | undefined {
    return this.#stopReason;
  }

  start(): void {
    const { signal, deadlineMs, timeoutMs } = this.plan;
    this.#startedAt = performance.now();
    if (signal?.aborted === true) {
      this.#stopReason = this.cancelled('was cancelled');
      return;
    }
    if (signal !== undefined) this.#aborts.add(signal, this);
    // A first attempt that starts at once is cut by its own timer before the deadline could be,
    // so the deadline's timer waits until something else (a wait, a retry) needs it.
    if (timeoutMs >= deadlineMs) this.armDeadline();
  }

  /** Starts the deadline's timer for the time left, once; stops the request if none is left. */
  armDeadline(): void {
    if (this.#deadline !== undefined || this.#stopReason !== undefined) return;
    const leftMs = this.#startedAt + this.plan.deadlineMs - performance.now();
    if (leftMs <= 0) {
      this.stop(this.deadlineError());
      return;
    }
    this.#deadline = setTimeout(() => this.stop(this.deadlineError()), leftMs);
  }

  finish(): void {
    clearTimeout(this.#deadline);
    const { signal } = this.plan;
    if (signal !== undefined) this.#aborts.delete(signal, this);
  }

  /** The caller's signal aborted. */
  handleEvent(): void {
    this.stop(this.cancelled('was cancelled'));
  }

  /** Ends the request: the exchange in flight and any wait stop at once with `reason`. */
  stop(reason: Error): void {
    if (this.#stopReason !== undefined) return;
    this.#stopReason = reason;
    this.#exchange?.abort(reason);
    this.#waits?.abort(reason);
  }

  throwIfStopped(): void {
    if (this.#stopReason !== undefined) throw this.#stopReason;
  }

  /** A signal for waits (backoff, rate limit), made only when a request has to wait. */
  waitSignal(): AbortSignal {
    this.#waits ??= new AbortController();
    if (this.#stopReason !== undefined) this.#waits.abort(this.#stopReason);

    return this.#waits.signal;
  }

  track(exchange: Exchange | undefined): void {
    this.#exchange = exchange;
  }

  cancelled(what: string): CancelledError {
    return new CancelledError(`${this.where} ${what}`);
  }

  /** The final timeout of a request whose deadline ran out; never retried. */
  deadlineError(): TimeoutError {
    const { deadlineMs } = this.plan;
    const attempts = Math.max(1, this.attempts);
    return new TimeoutError(
      `${this.where} ran past its deadline of ${deadlineMs} ms (${attempts} attempt${attempts === 1 ? '' : 's'})`,
      { isRetryable: false, details: { deadlineMs, attempt: attempts } },
    );
  }

  /** The timeout of one attempt; a retry may cure it. */
  attemptTimeout(attempt: number): TimeoutError {
    const { timeoutMs } = this.plan;
    return new TimeoutError(`${this.where} took longer than ${timeoutMs} ms (attempt ${attempt})`, {
      details: { timeoutMs, attempt },
    });
  }

  /** Names an attempt's failure with a coded error; see `classifyFailure`. */
  classify(error: unknown, attempt: number): Error {
    if (this.#stopReason !== undefined) return this.#stopReason;
    if (isFlywheelError(error)) return error;
    const { url, wireUrl, headers } = this.plan;

    return classifyFailure(error, { where: this.where, url, wireUrl, headers, attempt });
  }

  /**
   * A body past `maxBytes`: on the wire, or (with `contentEncoding`) once decoded, so a small
   * compressed body cannot grow past the limit in memory.
   */
  tooLarge(maxBytes: number, attempt: number, contentEncoding?: string): ParseError {
    const decoded =
      contentEncoding === undefined ? '' : ` once decoded (content-encoding: ${contentEncoding})`;
    return new ParseError(`${this.where} answered a body larger than ${maxBytes} bytes${decoded}`, {
      details: { maxBytes, attempt, contentEncoding },
    });
  }
}

/** @internal `url.href` with secrets redacted; skips the parse when nothing could be secret. */
export function redactedHref(url: URL): string {
  const hasNoSecret = url.search === '' || !hasSecretKey(url.searchParams);
  if (url.username === '' && url.password === '' && hasNoSecret) return url.href;

  return redactUrl(url.href);
}

function hasSecretKey(params: URLSearchParams): boolean {
  for (const name of params.keys()) {
    if (SECRET_QUERY_KEYS.includes(name.toLowerCase())) return true;
  }

  return false;
}

/** @internal Hands a finished exchange to the recorder, without credentials. */
export function recordExchange(
  recorder: ExchangeRecorder,
  plan: RequestPlan,
  result: AttemptResult,
): void {
  const requestHeaders = Object.fromEntries(
    Object.entries(plan.headers).filter(([name]) => !UNRECORDED_HEADERS.has(name)),
  );
  recorder.record({
    method: plan.method,
    url: plan.url.toString(),
    requestHeaders,
    requestBody: plan.body ?? null,
    status: result.status,
    statusMessage: result.statusText,
    responseHeaders: result.headers,
    responseBody: result.body,
    recordedAt: new Date().toISOString(),
  });
}
