import { setTimeout as delay } from 'node:timers/promises';

import { CancelledError } from '../errors.ts';
import type { HttpMethod } from './types.ts';

/** Statuses that a later attempt may turn into a success. */
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** @internal Whether a final status is worth retrying. */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/** @internal GET, HEAD, PUT and DELETE may be repeated without changing the outcome (RFC 9110 9.2.2). */
export function isIdempotentMethod(method: HttpMethod): boolean {
  return method !== 'POST';
}

/**
 * @internal Milliseconds a `Retry-After` value asks for: delta seconds or an HTTP-date
 * (RFC 9110 10.2.3). Junk, negative or non-finite values give `null` so the caller falls back to
 * backoff; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;

  // Only accept things that look like an HTTP-date: Date.parse also takes "1" or "2024".
  if (!/^[A-Za-z]{3},? /.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;

  return Math.max(0, at - nowMs);
}

/**
 * @internal Full-jitter exponential backoff (AWS architecture blog, "Exponential Backoff And
 * Jitter"): uniform in [0, base * 2^retry], then clamped to `maxWaitMs`. Full jitter spreads
 * clients that failed together better than equal or decorrelated jitter.
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
  if (ms <= 0 && !signal?.aborted) return;
  try {
    await delay(ms, undefined, signal === undefined ? undefined : { signal });
  } catch (error) {
    throw new CancelledError(`wait of ${ms} ms before a retry was cancelled`, { cause: error });
  }
}
