import { describe, expect, it } from 'vitest';

import { CancelledError, HttpStatusError, NetworkError, TimeoutError } from '../errors.ts';
import { parseHttpDate } from './http-date.ts';
import { backoffDelayMs, isRetryableFailure, isRetryableStatus, parseRetryAfter } from './retry.ts';

const now = Date.parse('2026-01-01T00:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delta seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 12 ', now)).toBe(12_000);
  });

  it('reads all three HTTP-date forms as the same instant', () => {
    // RFC 9110 5.6.7's own example dates, moved to 30 s after `now`.
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Thursday, 01-Jan-26 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Thu Jan  1 00:00:30 2026', now)).toBe(30_000);
  });

  it('gives 0 for a date in the past', () => {
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
  });

  it('returns absurd waits as asked, for the caller to cap', () => {
    expect(parseRetryAfter('31536000000', now)).toBe(31_536_000_000_000);
    expect(parseRetryAfter('Fri, 01 Jan 9999 00:00:00 GMT', now)).toBeGreaterThan(1e14);
  });

  it('ignores junk', () => {
    for (const junk of [
      undefined,
      '',
      'soon',
      '-5',
      '1.5',
      '1e3',
      '0x10',
      '5, 10',
      'Foo, 99 Bar',
      '2026-01-01',
      '2026-01-01T00:00:30Z',
      'Thu, 31 Feb 2026 00:00:30 GMT',
      'Thu, 01 Jan 2026 25:00:00 GMT',
      'Thu, 01 Jan 2026 00:00:30 PST',
    ]) {
      expect(parseRetryAfter(junk, now), String(junk)).toBeNull();
    }
  });
});

describe('parseHttpDate', () => {
  it('reads the asctime form in UTC whatever the local zone', () => {
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
    expect(parseHttpDate('Sun Nov 16 08:49:37 1994')).toBe(Date.UTC(1994, 10, 16, 8, 49, 37));
  });

  it('puts a two-digit RFC 850 year no more than 50 years ahead', () => {
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', now)).toBe(
      Date.UTC(1994, 10, 6, 8, 49, 37),
    );
    expect(parseHttpDate('Friday, 06-Nov-76 08:49:37 GMT', now)).toBe(
      Date.UTC(2076, 10, 6, 8, 49, 37),
    );
    expect(parseHttpDate('Monday, 06-Nov-77 08:49:37 GMT', now)).toBe(
      Date.UTC(1977, 10, 6, 8, 49, 37),
    );
  });
});

describe('backoffDelayMs', () => {
  it('draws in [0, base * 2^retry] and clamps to maxWaitMs after the draw', () => {
    expect(backoffDelayMs(0, 100, 10_000, () => 0.999)).toBe(100);
    expect(backoffDelayMs(3, 100, 10_000, () => 0.5)).toBe(400);
    expect(backoffDelayMs(10, 100, 10_000, () => 0.999)).toBe(10_000);
    // 0.2 * 102400 = 20480 is above the cap; clamping first would have drawn 0.2 * 10000.
    expect(backoffDelayMs(10, 100, 10_000, () => 0.2)).toBe(10_000);
    expect(backoffDelayMs(2, 100, 10_000, () => 0)).toBe(0);
  });
});

describe('what may be retried', () => {
  it('retries 408, 429, 500, 502, 503, 504 for idempotent requests', () => {
    const statuses = [400, 401, 403, 404, 408, 409, 429, 500, 501, 502, 503, 504, 505];
    expect(statuses.filter((status) => isRetryableStatus(status, true))).toEqual([
      408, 429, 500, 502, 503, 504,
    ]);
  });

  it('retries only 408 and 429 for requests that are not idempotent', () => {
    expect([408, 429, 500, 502, 503, 504].filter((s) => isRetryableStatus(s, false))).toEqual([
      408, 429,
    ]);
  });

  it('retries network failures and timeouts, a POST only when the connection was refused', () => {
    const reset = new NetworkError('reset', { details: { code: 'ECONNRESET' } });
    const refused = new NetworkError('refused', { details: { code: 'ECONNREFUSED' } });
    const slow = new TimeoutError('slow');

    expect(isRetryableFailure(reset, true)).toBe(true);
    expect(isRetryableFailure(slow, true)).toBe(true);
    expect(isRetryableFailure(reset, false)).toBe(false);
    expect(isRetryableFailure(slow, false)).toBe(false);
    expect(isRetryableFailure(refused, false)).toBe(true);
    expect(isRetryableFailure(new CancelledError('stop'), true)).toBe(false);
    expect(isRetryableFailure(new TimeoutError('deadline', { isRetryable: false }), true)).toBe(
      false,
    );
    expect(isRetryableFailure(new HttpStatusError(404, 'gone'), true)).toBe(false);
    expect(isRetryableFailure(new Error('plain'), true)).toBe(false);
  });
});
