/**
 * Rate limits, limit headers and Retry-After against a real server on 127.0.0.1: request times
 * and 429s are counted at the server.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { createHttpClient, mapBounded } from '../../src/http/index.ts';
import type { HttpClient, HttpClientOptions, HttpEvent } from '../../src/http/index.ts';
import type { LimitDialect } from '../../src/http/index.ts';
import {
  limitHeaders,
  retryAfterValue,
  startFaultServer,
  type FaultServer,
  type FaultServerOptions,
  type LimitHeaderStyle,
  type RetryAfterForm,
} from '../../src/http/testing/index.ts';

const opened: Array<HttpClient | FaultServer> = [];

async function server(options: FaultServerOptions = {}): Promise<FaultServer> {
  const started = await startFaultServer({ lifetimeMs: 50_000, ...options });
  opened.push(started);
  return started;
}

function client(options: HttpClientOptions = {}): HttpClient {
  const created = createHttpClient({ backoffBaseMs: 1, maxWaitMs: 100, ...options });
  opened.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()));
});

describe('a configured rate', () => {
  it('is never exceeded at the server, whatever the concurrency', async () => {
    const site = await server();
    const http = client({
      rateLimits: { [`${site.origin}/any/path`]: { limit: 5, intervalMs: 200 } },
    });
    const results = await mapBounded(
      Array.from({ length: 40 }, (_, index) => index),
      10,
      (index) => http.request(`${site.origin}/r/${index}`),
    );
    const arrivals = site.stats().arrivals;

    expect(results.every((result) => result.ok)).toBe(true);
    expect(arrivals).toHaveLength(40);
    // Any 6 arrivals in a row span at least the window: no window holds more than 5. This is
    // order, not speed: the limiter holds a slot until 200 ms after its request ENDED, and a
    // request arrives at the server (stamped on the same monotonic clock) before it ends, so a
    // slow machine can only widen the spans.
    const spans = arrivals.slice(5).map((at, index) => at - arrivals[index]!);
    expect(Math.min(...spans)).toBeGreaterThanOrEqual(200);
    expect(http.stats().byOrigin[0]?.rateLimitWaits).toBeGreaterThan(0);
  });
});

describe('limit headers', () => {
  /**
   * A server allowing `limit` requests per fixed window, telling the client how many are left in
   * the given style and answering 429 past the limit.
   */
  function quotaServer(style: LimitHeaderStyle, limit: number, windowMs: number) {
    let windowStart = 0;
    let used = 0;
    let refused = 0;
    const reply = () => {
      const now = Date.now();
      if (now - windowStart >= windowMs) {
        windowStart = now;
        used = 0;
      }
      used += 1;
      const resetInS = (windowStart + windowMs - now) / 1000;
      const headers = limitHeaders(style, {
        limit,
        remaining: Math.max(0, limit - used),
        resetInS,
      });
      if (used > limit) refused += 1;
      return used > limit
        ? { status: 429, headers, body: 'slow down' }
        : { headers, body: { ok: true } };
    };
    return { reply, refused: () => refused };
  }

  const dialects: Array<[LimitHeaderStyle, LimitDialect, number]> = [
    ['reddit', 'reddit', 400],
    ['mastodon', 'mastodon', 400],
    ['ietf', 'ietf', 400],
    // Epoch resets come in whole seconds.
    ['ietf-epoch', 'ietf', 1_000],
  ];

  it.each(dialects)(
    'paces itself before a 429 with %s headers',
    async (style, dialect, windowMs) => {
      const quota = quotaServer(style, 5, windowMs);
      const site = await server({ handler: quota.reply });
      const http = client({ maxAttempts: 1 });
      const results = await mapBounded(
        Array.from({ length: 11 }, (_, index) => index),
        4,
        (index) => http.request(`${site.origin}/q/${index}`, { rateLimit: { dialect } }),
      );

      expect(quota.refused()).toBe(0);
      expect(results.filter((result) => !result.ok)).toEqual([]);
      expect(http.stats().byOrigin[0]?.rateLimitWaits).toBeGreaterThan(0);
    },
  );
});

describe('Retry-After', () => {
  /** Answers the first request with 429 and the given Retry-After, the rest with 200. */
  async function refuseOnce(
    retryAfter: string,
  ): Promise<{ site: FaultServer; events: HttpEvent[]; http: HttpClient }> {
    const site = await server({
      fault: ({ index }) =>
        index === 0
          ? { kind: 'status', status: 429, headers: { 'retry-after': retryAfter } }
          : undefined,
    });
    const events: HttpEvent[] = [];
    const http = client({ onEvent: (event) => events.push(event) });
    return { site, events, http };
  }

  const forms: RetryAfterForm[] = ['seconds', 'imf-fixdate', 'rfc850', 'asctime'];

  it.each(forms)('obeys the %s form, capping an hour at maxWaitMs', async (form) => {
    const { site, events, http } = await refuseOnce(retryAfterValue(form, 3_600));
    const response = await http.request(`${site.origin}/ra`);

    expect(response.status).toBe(200);
    expect(response.attempts).toBe(2);
    expect(site.stats().requests).toBe(2);
    // The 100 ms cap let the test end; the retry waited on the Retry-After, not on a backoff.
    expect(events.filter((event) => event.type === 'retry')).toEqual([
      { type: 'retry', origin: site.origin, attempt: 2, waitMs: 0, reason: 'retry-after' },
    ]);
  });

  it('falls back to the backoff on a junk value', async () => {
    const { site, events, http } = await refuseOnce('in a while');
    await http.request(`${site.origin}/ra`);

    expect(
      events
        .filter((event) => event.type === 'retry')
        .map((event) => 'reason' in event && event.reason),
    ).toEqual(['backoff']);
  });

  it('retries a 5xx burst and counts every attempt', async () => {
    const site = await server({
      fault: ({ index }) => (index < 3 ? { kind: 'status', status: 502 + (index % 3) } : undefined),
    });
    const http = client({ maxAttempts: 5 });
    const response = await http.request(`${site.origin}/burst`);

    expect(response.attempts).toBe(4);
    expect(site.stats().requests).toBe(4);
    expect(http.stats().retries).toBe(3);
  });
});
