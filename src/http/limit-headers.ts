/**
 * Reading a platform's rate-limit headers into one shape: how many requests are left and when
 * the quota resets. Every platform has its own dialect:
 *
 * | dialect    | headers                                                   | reset                         |
 * | ---------- | --------------------------------------------------------- | ----------------------------- |
 * | `reddit`   | `x-ratelimit-used`, `-remaining` (a float), `-reset`      | seconds from now              |
 * | `mastodon` | `x-ratelimit-limit`, `-remaining`, `-reset`               | an ISO 8601 time              |
 * | `ietf`     | `ratelimit-limit`, `-remaining`, `-reset`, or `ratelimit` | seconds from now, or epoch    |
 * | `auto`     | any of the above                                          | ISO, epoch or seconds by form |
 *
 * Bluesky sends the IETF names with an epoch reset; GitHub-style APIs send `x-ratelimit-*` with
 * one. A number is read as an epoch when it is too large to be a wait (over 10^9 seconds, or
 * 10^12 as milliseconds).
 */

/** Names of the header dialects the limiter can read. */
export const LIMIT_DIALECTS = ['auto', 'reddit', 'mastodon', 'ietf', 'none'] as const;

/** A header dialect: `auto` recognises any; `none` ignores limit headers. */
export type LimitDialect = (typeof LIMIT_DIALECTS)[number];

/** What one response said about the caller's quota. */
export interface QuotaReading {
  /** Requests allowed per quota window, when the server says. */
  limit: number | null;
  /** Requests left before the reset. */
  remaining: number;
  /** When the quota refills, milliseconds since the epoch. */
  resetAtMs: number;
}

type Headers = Readonly<Record<string, string | undefined>>;

const EPOCH_SECONDS = 1e9;
const EPOCH_MS = 1e12;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Reads the quota from response headers in the given dialect, or null when the headers are
 * absent or junk (a junk value never throttles anything).
 */
export function readQuota(
  headers: Headers,
  dialect: LimitDialect,
  nowMs: number,
): QuotaReading | null {
  // Most responses carry no limit headers at all; every dialect needs one of these three.
  const hasAny =
    headers['x-ratelimit-remaining'] !== undefined ||
    headers['ratelimit-remaining'] !== undefined ||
    headers.ratelimit !== undefined;
  if (!hasAny) return null;

  switch (dialect) {
    case 'none':
      return null;
    case 'reddit':
      return readPrefixed(headers, 'x-ratelimit-', nowMs, 'seconds');
    case 'mastodon':
      return readPrefixed(headers, 'x-ratelimit-', nowMs, 'any');
    case 'ietf':
      return readIetf(headers, nowMs);
    case 'auto':
      return readIetf(headers, nowMs) ?? readPrefixed(headers, 'x-ratelimit-', nowMs, 'any');
  }
}

function readIetf(headers: Headers, nowMs: number): QuotaReading | null {
  return readPrefixed(headers, 'ratelimit-', nowMs, 'any') ?? readStructured(headers, nowMs);
}

/**
 * `{prefix}remaining` and `{prefix}reset`, with the limit from `{prefix}limit` or, as Reddit
 * sends it, `used + remaining`.
 */
function readPrefixed(
  headers: Headers,
  prefix: string,
  nowMs: number,
  resetForm: 'seconds' | 'any',
): QuotaReading | null {
  const remaining = count(headers[`${prefix}remaining`]);
  const resetAtMs = resetTime(headers[`${prefix}reset`], nowMs, resetForm);
  if (remaining === null || resetAtMs === null) return null;

  const used = count(headers[`${prefix}used`]);
  // IETF limits may carry a policy after the number ("100, 100;w=60"); the first number counts.
  const limit = count(headers[`${prefix}limit`]?.split(/[,;]/)[0]);

  return { limit: limit ?? (used === null ? null : used + remaining), remaining, resetAtMs };
}

/**
 * The structured field of later IETF drafts: `RateLimit: "default";r=50;t=30`, with the limit
 * from `RateLimit-Policy: "default";q=100;w=60`. With several policies, the tightest one wins.
 */
function readStructured(headers: Headers, nowMs: number): QuotaReading | null {
  const field = headers.ratelimit;
  if (field === undefined) return null;
  const quotas = new Map<string, number>();
  for (const item of (headers['ratelimit-policy'] ?? '').split(',')) {
    const quota = count(parameter(item, 'q'));
    if (quota !== null) quotas.set(item.split(';')[0]!.trim(), quota);
  }

  let tightest: QuotaReading | null = null;
  for (const item of field.split(',')) {
    const remaining = count(parameter(item, 'r'));
    const resetAtMs = resetTime(parameter(item, 't'), nowMs, 'seconds');
    if (remaining === null || resetAtMs === null) continue;
    if (tightest !== null && remaining >= tightest.remaining) continue;
    tightest = { limit: quotas.get(item.split(';')[0]!.trim()) ?? null, remaining, resetAtMs };
  }

  return tightest;
}

function parameter(item: string, name: string): string | undefined {
  for (const part of item.split(';').slice(1)) {
    const [key, value] = part.split('=');
    if (key?.trim() === name) return value?.trim();
  }

  return undefined;
}

/** A non-negative count; Reddit sends `599.0`, so fractions are floored. */
function count(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) return null;

  return Math.floor(number);
}

function resetTime(
  value: string | undefined,
  nowMs: number,
  form: 'seconds' | 'any',
): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (form === 'any' && ISO_TIME.test(text)) {
    const at = Date.parse(text);
    return Number.isNaN(at) ? null : at;
  }

  const number = text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(number) || number < 0) return null;
  if (form === 'any' && number >= EPOCH_MS) return number;
  if (form === 'any' && number >= EPOCH_SECONDS) return number * 1000;

  return nowMs + number * 1000;
}
