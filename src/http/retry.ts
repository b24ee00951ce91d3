import { setTimeout as delay } from 'node:timers/promises';

import { CancelledError, isFlywheelError, isNetworkError } from '../errors.ts';
import { UNSENT_CODES } from './failures.ts';
import { parseHttpDate } from './http-date.ts';
import type { HttpMethod } from './types.ts';

/** Statuses that a later attempt may turn into a success (500 only for idempotent requests). */
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/**
 * @internal Whether a final status is worth retrying. A request that is not idempotent is only
 * retried where the server says it did not process it: 408 (it never got the whole request,
 * RFC 9110 15.5.9) and 429 (refused, RFC 6585 section 4). A 5xx may come after the side effect
 * happened, so a POST that drew one is not sent again.
 */
export function isRetryableStatus(status: number, isIdempotent = true): boolean {
  if (!isIdempotent) return status === 408 || status === 429;

  return RETRYABLE_STATUSES.has(status);
}

/**
 * @internal Whether a failed attempt may be repeated. Idempotent requests retry any retryable
 * coded error (network failures, timeouts); others only a failure before anything was sent (a
 * refused or timed-out connection, a host that did not resolve).
 */
export function isRetryableFailure(error: unknown, isIdempotent: boolean): boolean {
  if (!isFlywheelError(error) || !error.isRetryable) return false;
  if (isIdempotent) return true;
  const code = error.details.code;

  return isNetworkError(error) && typeof code === 'string' && UNSENT_CODES.has(code);
}

/** @internal GET, HEAD, PUT and DELETE may be repeated without changing the outcome (RFC 9110 9.2.2). */
export function isIdempotentMethod(method: HttpMethod): boolean {
  return method !== 'POST';
}

/**
 * @internal Milliseconds a `Retry-After` value asks for (RFC 9110 10.2.3): delta seconds, or an
 * HTTP-date in any of its three forms (a date in the past gives 0). Junk (negative or fractional
 * numbers, free text, impossible dates) gives `null` so the caller falls back to its backoff.
 * The caller caps the result: a server may ask for days.
 */
export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;

  const at = parseHttpDate(trimmed, nowMs);
  if (at === null) return null;

  return Math.max(0, at - nowMs);
}

/**
 * @internal Full-jitter exponential backoff (AWS architecture blog, "Exponential Backoff And
 * Jitter"): uniform in [0, base * 2^retry], then clamped to `maxWaitMs`. Clamping after the draw
 * keeps the expected wait growing towards the cap as failures go on; clamping first (cockatiel's
 * `fullJitterGenerator`) freezes it at half the cap. Full jitter spreads clients that failed
 * together better than equal or decorrelated jitter.
 */
export function backoffDelayMs(
  retry: number,
  baseMs: number,
  maxWaitMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = baseMs * 2 ** retry;

  return Math.min(maxWaitMs, Math.round(random() * ceiling));
}

/** @internal Waits `ms`, or raises `CancelledError` as soon as `signal` aborts. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 && signal?.aborted !== true) return;
  try {
    await delay(ms, undefined, signal === undefined ? undefined : { signal });
  } catch (error) {
    throw new CancelledError(`wait of ${ms} ms before a retry was cancelled`, { cause: error });
  }
}
