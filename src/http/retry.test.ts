import { describe, expect, it } from 'vitest';

import { backoffDelayMs, parseRetryAfter } from './retry.ts';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads delta seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 12 ', now)).toBe(12_000);
  });

  it('reads an HTTP-date, past dates giving 0', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
  });

  it('ignores junk', () => {
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter('1.5', now)).toBeNull();
    expect(parseRetryAfter('Foo, 99 Bar', now)).toBeNull();
  });
});

describe('backoffDelayMs', () => {
  it('draws in [0, base * 2^retry] and clamps to maxWaitMs', () => {
    expect(backoffDelayMs(0, 100, 10_000, () => 0.999)).toBe(100);
    expect(backoffDelayMs(3, 100, 10_000, () => 0.5)).toBe(400);
    expect(backoffDelayMs(10, 100, 10_000, () => 0.999)).toBe(10_000);
    expect(backoffDelayMs(2, 100, 10_000, () => 0)).toBe(0);
  });
});
