/**
 * The rate limiter: one FIFO queue per key (an origin, or an origin plus the account or token a
 * platform counts by). A request may start when three things allow it:
 *
 * - **a fixed rate** (`limit` per `intervalMs`, from config). A request holds its slot from its
 *   start until `intervalMs` after it ENDED, not after it started. That is stricter than a plain
 *   sliding window by one round trip, and it is what makes the rate hold at the server whatever
 *   the network does: a request reaches the server before it ends, so any `intervalMs` window of
 *   arrivals holds at most `limit` of them.
 * - **a pause** from `Retry-After` (capped at `maxWaitMs`): the whole key waits, not one request.
 * - **the quota** the platform's limit headers report: none left means wait for the reset (capped
 *   at `maxWaitMs`); below `paceBelowRatio` of the limit, the rest is spread evenly until the reset.
 */
import { CancelledError } from '../errors.ts';
import { readQuota, type LimitDialect } from './limit-headers.ts';
import type { RateLimitRule } from './types.ts';

/** @internal Options of `RateLimiter`. */
export interface RateLimiterOptions {
  /** The fixed rate of an origin, if any. */
  ruleFor: (origin: string) => RateLimitRule | undefined;
  /** Longest pause or quota wait honoured, milliseconds. */
  maxWaitMs: number;
  paceBelowRatio: number;
  now: () => number;
  /** Called when a request had to wait, with how long. */
  onWait: (origin: string, key: string, waitedMs: number) => void;
}

/** @internal What the limiter needs to hear when a granted request ends. */
export interface RequestEnd {
  /** False when nothing went out (a breaker refused it), so its slot is given back whole. */
  wasSent?: boolean;
  headers?: Readonly<Record<string, string>>;
  dialect?: LimitDialect;
}

/** @internal A granted start; `release` must be called once when the attempt ends. */
export interface Ticket {
  release(end?: RequestEnd): void;
}

interface Quota {
  limit: number | null;
  remaining: number;
  resetAtMs: number;
}

interface Waiter {
  enqueuedAt: number;
  grant: (ticket: Ticket) => void;
  fail: (error: Error) => void;
}

interface KeyState {
  origin: string;
  key: string;
  rule: RateLimitRule | undefined;
  /** End times of recent requests, oldest first; only kept while they hold a slot. */
  ends: number[];
  inFlight: number;
  pausedUntil: number;
  quota: Quota | undefined;
  lastStart: number;
  waiters: Waiter[];
  timer: NodeJS.Timeout | undefined;
  timerAt: number;
}

/** A granted start; a class rather than a closure, as one is made per request. */
class Grant implements Ticket {
  readonly #limiter: RateLimiter;
  readonly #state: KeyState;
  #isReleased = false;

  constructor(limiter: RateLimiter, state: KeyState) {
    this.#limiter = limiter;
    this.#state = state;
  }

  release(end?: RequestEnd): void {
    if (this.#isReleased) return;
    this.#isReleased = true;
    this.#limiter.end(this.#state, end);
  }
}

/** Resets closer than this are the same quota window (Reddit's whole seconds drift). */
const SAME_WINDOW_MS = 2_000;

/** @internal Per-key pacing of request starts; see the file comment. */
export class RateLimiter {
  readonly #options: RateLimiterOptions;
  readonly #keys = new Map<string, KeyState>();
  #isClosed = false;

  constructor(options: RateLimiterOptions) {
    this.#options = options;
  }

  /** A ticket at once when the key is free and nobody queues, else undefined. */
  tryAcquire(origin: string, key: string | undefined): Ticket | undefined {
    const state = this.#state(origin, key);
    if (state.waiters.length > 0 || this.#startAt(state) > this.#options.now()) return undefined;

    return this.#grant(state);
  }

  /** Waits for the key's turn; raises `CancelledError` when `signal` aborts first. */
  acquire(origin: string, key: string | undefined, signal?: AbortSignal): Promise<Ticket> {
    const state = this.#state(origin, key);

    return new Promise<Ticket>((resolve, reject) => {
      if (this.#isClosed || signal?.aborted === true) {
        reject(this.#cancelled(state));
        return;
      }
      const onAbort = (): void => {
        const index = state.waiters.indexOf(waiter);
        if (index >= 0) state.waiters.splice(index, 1);
        reject(this.#cancelled(state));
        this.#pump(state);
      };
      const waiter: Waiter = {
        enqueuedAt: this.#options.now(),
        grant: (ticket) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(ticket);
        },
        fail: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      state.waiters.push(waiter);
      this.#pump(state);
    });
  }

  /** Holds every request of the key until `untilMs` (capped at `maxWaitMs` from now). */
  pause(origin: string, key: string | undefined, untilMs: number): void {
    const state = this.#state(origin, key);
    const cap = this.#options.now() + this.#options.maxWaitMs;
    state.pausedUntil = Math.max(state.pausedUntil, Math.min(untilMs, cap));
    this.#pump(state);
  }

  /** Rejects every waiter and clears the timers. */
  close(): void {
    this.#isClosed = true;
    for (const state of this.#keys.values()) {
      clearTimeout(state.timer);
      for (const waiter of state.waiters.splice(0)) waiter.fail(this.#cancelled(state));
    }
  }

  #state(origin: string, key: string | undefined): KeyState {
    const id = key === undefined ? origin : `${origin}#${key}`;
    let state = this.#keys.get(id);
    if (state === undefined) {
      state = {
        origin,
        key: key ?? '',
        rule: this.#options.ruleFor(origin),
        ends: [],
        inFlight: 0,
        pausedUntil: 0,
        quota: undefined,
        lastStart: Number.NEGATIVE_INFINITY,
        waiters: [],
        timer: undefined,
        timerAt: Number.POSITIVE_INFINITY,
      };
      this.#keys.set(id, state);
    }

    return state;
  }

  /** The earliest time the next request of the key may start; Infinity waits for an end. */
  #startAt(state: KeyState): number {
    const now = this.#options.now();
    let at = Math.max(now, state.pausedUntil);

    const { rule } = state;
    if (rule !== undefined) {
      while (state.ends.length > 0 && state.ends[0]! + rule.intervalMs <= now) state.ends.shift();
      const excess = state.inFlight + state.ends.length - rule.limit;
      if (excess >= 0) {
        // `excess + 1` slots must free up; requests in flight free theirs only when they end.
        const end = state.ends[excess];
        at = Math.max(at, end === undefined ? Number.POSITIVE_INFINITY : end + rule.intervalMs);
      }
    }

    const { quota } = state;
    if (quota !== undefined && quota.resetAtMs <= now) state.quota = undefined;
    else if (quota !== undefined) at = Math.max(at, this.#quotaStart(state, quota, now));

    return at;
  }

  #quotaStart(state: KeyState, quota: Quota, now: number): number {
    const cap = now + this.#options.maxWaitMs;
    if (quota.remaining <= 0) return Math.min(quota.resetAtMs, cap);
    const isLow =
      quota.limit !== null && quota.remaining < quota.limit * this.#options.paceBelowRatio;
    if (!isLow) return now;

    const spacing = (quota.resetAtMs - now) / quota.remaining;
    return Math.min(state.lastStart + spacing, cap);
  }

  #grant(state: KeyState): Ticket {
    state.inFlight += 1;
    state.lastStart = this.#options.now();
    if (state.quota !== undefined) state.quota.remaining -= 1;

    return new Grant(this, state);
  }

  /** @internal Called once by a `Grant` when its request ends. */
  end(state: KeyState, end: RequestEnd | undefined): void {
    state.inFlight -= 1;
    const wasSent = end?.wasSent !== false;
    if (state.rule !== undefined && wasSent) state.ends.push(this.#options.now());
    if (state.quota !== undefined && !wasSent) state.quota.remaining += 1;
    if (end?.headers !== undefined) this.#readQuota(state, end.headers, end.dialect ?? 'auto');
    this.#pump(state);
  }

  #readQuota(state: KeyState, headers: Readonly<Record<string, string>>, dialect: LimitDialect) {
    const reading = readQuota(headers, dialect, this.#options.now());
    if (reading === null) return;

    // Requests still in flight may not be counted in this response yet; assume they were not.
    const remaining = Math.max(0, reading.remaining - state.inFlight);
    const current = state.quota;
    const isSameWindow =
      current !== undefined && Math.abs(current.resetAtMs - reading.resetAtMs) <= SAME_WINDOW_MS;
    state.quota = {
      limit: reading.limit,
      remaining: isSameWindow ? Math.min(current.remaining, remaining) : remaining,
      resetAtMs: reading.resetAtMs,
    };
  }

  /** Grants waiters in order while the key allows, then sleeps until it may allow again. */
  #pump(state: KeyState): void {
    while (state.waiters.length > 0) {
      const at = this.#startAt(state);
      const now = this.#options.now();
      if (at > now) {
        this.#wake(state, at);
        return;
      }

      const waiter = state.waiters.shift()!;
      const waitedMs = now - waiter.enqueuedAt;
      if (waitedMs > 0) this.#options.onWait(state.origin, state.key, waitedMs);
      waiter.grant(this.#grant(state));
    }
  }

  #wake(state: KeyState, at: number): void {
    if (!Number.isFinite(at) || (state.timer !== undefined && state.timerAt <= at)) return;
    clearTimeout(state.timer);
    state.timerAt = at;
    state.timer = setTimeout(() => {
      state.timer = undefined;
      state.timerAt = Number.POSITIVE_INFINITY;
      this.#pump(state);
    }, at - this.#options.now());
  }

  #cancelled(state: KeyState): CancelledError {
    const what = state.key === '' ? state.origin : `${state.origin} (${state.key})`;
    return new CancelledError(`waiting for the rate limit of ${what} was cancelled`);
  }
}
