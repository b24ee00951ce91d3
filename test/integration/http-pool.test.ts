/**
 * Connection pooling against a real server on 127.0.0.1: every count is taken at the server.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { isNetworkError, isTimeoutError } from '../../src/errors.ts';
import { createHttpClient, mapBounded } from '../../src/http/index.ts';
import type { HttpClient, HttpClientOptions } from '../../src/http/index.ts';
import {
  startFaultServer,
  type FaultServer,
  type FaultServerOptions,
} from '../../src/http/testing/index.ts';
import { caught } from '../support/errors.ts';

const opened: Array<HttpClient | FaultServer> = [];

async function server(options: FaultServerOptions = {}): Promise<FaultServer> {
  const started = await startFaultServer({ lifetimeMs: 50_000, ...options });
  opened.push(started);
  return started;
}

function client(options: HttpClientOptions = {}): HttpClient {
  const created = createHttpClient({ backoffBaseMs: 1, maxWaitMs: 50, ...options });
  opened.push(created);
  return created;
}

/** Yields to the event loop until `condition` holds (at most 2000 turns). */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 2_000 && !condition(); turn++) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  expect(condition()).toBe(true);
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()));
});

describe('connections counted at the server', () => {
  it('opens one connection for 1,000 sequential requests to one origin', async () => {
    const site = await server();
    const http = client();
    for (let i = 0; i < 1_000; i++) await http.request(`${site.origin}/item/${i}`);

    expect(site.stats().requests).toBe(1_000);
    expect(site.stats().connections).toBe(1);
    expect(http.stats().connections).toBe(1);
    expect(http.stats().reuseRatio).toBeCloseTo(0.999, 10);
  });

  it('opens 20 connections for 100 accounts scraped 20 at a time', async () => {
    const site = await server({
      latencyMs: 2,
      handler: ({ query }) => {
        const page = Number(query.get('page'));
        return { body: { items: [page], next: page < 3 ? page + 1 : null } };
      },
    });
    const http = client({ connections: 20 });
    const accounts = Array.from({ length: 100 }, (_, index) => `account${index}`);
    const results = await mapBounded(accounts, 20, async (account) => {
      let page: number | null = 1;
      while (page !== null) {
        const response = await http.request(`${site.origin}/list`, { query: { account, page } });
        page = response.json<{ next: number | null }>().next;
      }
    });

    expect(results.every((result) => result.ok)).toBe(true);
    expect(site.stats().requests).toBe(300);
    expect(site.stats().connections).toBe(20);
    expect(http.stats().connections).toBe(20);
  });

  it('opens one connection per request in the naive profile', async () => {
    const site = await server();
    const http = client({ profile: 'naive' });
    for (let i = 0; i < 30; i++) await http.request(`${site.origin}/n/${i}`);

    expect(site.stats().connections).toBe(30);
    expect(http.stats().reuseRatio).toBe(0);
  });
});

describe('keep-alive', () => {
  it('never reuses a socket whose Keep-Alive hint is within the safety margin', async () => {
    // `timeout=1` minus the 1000 ms margin leaves no safe idle time at all.
    const site = await server({ keepAliveHintS: 1 });
    const http = client();
    for (let i = 0; i < 5; i++) await http.request(`${site.origin}/k/${i}`);

    expect(site.stats().connections).toBe(5);
    expect(http.stats().errors).toBe(0);
  });

  it('reuses the socket under a longer hint', async () => {
    const site = await server({ keepAliveHintS: 2 });
    const http = client();
    for (let i = 0; i < 5; i++) await http.request(`${site.origin}/k/${i}`);

    expect(site.stats().connections).toBe(1);
  });

  it('notices a socket the server closed early while idle, and opens a new one', async () => {
    // The hint promises 30 s; the server drops idle sockets after 30 ms all the same.
    const site = await server({ keepAliveHintS: 30, idleCloseMs: 30 });
    const http = client();
    await http.request(`${site.origin}/a`);
    await until(() => site.stats().openConnections === 0);
    await http.request(`${site.origin}/b`);

    expect(site.stats().connections).toBe(2);
    expect(site.stats().requests).toBe(2);
    expect(http.stats().errors).toBe(0);
    expect(http.stats().retries).toBe(0);
  });

  it('opens a new connection after each `Connection: close`, without an error or a retry', async () => {
    const site = await server({ fault: () => ({ kind: 'close' }) });
    const http = client();
    for (let i = 0; i < 10; i++) await http.request(`${site.origin}/c/${i}`);

    expect(site.stats().connections).toBe(10);
    expect(http.stats().errors).toBe(0);
    expect(http.stats().retries).toBe(0);
  });
});

describe('a server that closes an idle socket as the client reuses it', () => {
  // The first request on every reused socket finds it reset: the race of a server closing an
  // idle socket at the moment the client writes on it, made deterministic.
  const racing: FaultServerOptions = {
    fault: ({ onSocket }) => (onSocket > 0 ? { kind: 'reset' } : undefined),
  };

  it('replays an idempotent request once on a fresh connection, even with maxAttempts 1', async () => {
    const site = await server(racing);
    const http = client({ maxAttempts: 1 });
    for (let i = 0; i < 5; i++) {
      expect((await http.request(`${site.origin}/s/${i}`)).status).toBe(200);
    }

    // 1: fresh. 2: reused, reset, replayed fresh. 3: fresh. 4: reused, reset, replayed. 5: fresh.
    expect(site.stats().requests).toBe(7);
    expect(site.stats().connections).toBe(5);
    expect(http.stats().errors).toBe(0);
    expect(http.stats().retries).toBe(2);
  });

  it('does not replay a POST', async () => {
    const site = await server(racing);
    const http = client({ maxAttempts: 1 });
    await http.request(`${site.origin}/first`);
    const error = await caught(http.request(`${site.origin}/p`, { method: 'POST', body: 'x' }));

    expect(isNetworkError(error)).toBe(true);
    expect(site.stats().requests).toBe(2);
  });

  it('does not replay a failure on a fresh connection', async () => {
    const site = await server({ fault: () => ({ kind: 'reset' }) });
    const http = client({ maxAttempts: 1 });
    const error = await caught(http.request(`${site.origin}/r`));

    expect(isNetworkError(error)).toBe(true);
    expect(site.stats().requests).toBe(1);
  });
});

describe('bodies and sockets', () => {
  it('a pool of 2 survives any number of failing responses', async () => {
    const kinds = ['status', 'truncate', 'reset-mid-body', 'status404', 'stall-body'] as const;
    const site = await server({
      handler: () => ({ body: 'x'.repeat(4_000) }),
      fault: ({ path }) => {
        if (!path.startsWith('/bad/')) return undefined;
        const kind = kinds[Number(path.slice(5)) % kinds.length]!;
        if (kind === 'status') return { kind: 'status', status: 503, body: 'busy '.repeat(900) };
        if (kind === 'status404') return { kind: 'status', status: 404, body: 'gone' };
        if (kind === 'stall-body') return { kind: 'stall-body' };
        return { kind };
      },
    });
    const http = client({ connections: 2, maxAttempts: 1, timeoutMs: 300, breaker: false });
    // Two callers for two connections: nothing waits in the pool, so every request is written.
    const failures = await mapBounded(
      Array.from({ length: 100 }, (_, index) => index),
      2,
      (index) => http.request(`${site.origin}/bad/${index}`),
    );
    const good = await mapBounded(
      Array.from({ length: 20 }, (_, index) => index),
      4,
      (index) => http.request(`${site.origin}/good/${index}`),
    );

    expect(failures.filter((result) => result.ok)).toEqual([]);
    expect(good.every((result) => result.ok)).toBe(true);
    // A reset can overtake the bytes before it, so a reused socket may fail "before any response
    // byte" and be replayed once: every such replay is a counted retry.
    expect(http.stats().requests).toBe(120 + http.stats().retries);
    expect(site.stats().requests).toBeLessThanOrEqual(http.stats().requests);
    await until(() => site.stats().inFlight === 0);
    expect(site.stats().openConnections).toBeLessThanOrEqual(2);
  });

  it('frees the socket at once when the caller aborts', async () => {
    const site = await server({
      fault: ({ path }) => (path === '/hang' ? { kind: 'stall-headers' } : undefined),
    });
    const http = client({ connections: 1 });
    const controller = new AbortController();
    const hanging = caught(http.request(`${site.origin}/hang`, { signal: controller.signal }));
    await until(() => site.stats().requests === 1);
    controller.abort();
    await hanging;

    // With its only socket still held, this request would wait for the stall (50 s).
    expect((await http.request(`${site.origin}/after`)).status).toBe(200);
    expect(site.stats().connections).toBe(2);
  });

  it('ends a request at its deadline, whatever its retries had left', async () => {
    const site = await server({ fault: () => ({ kind: 'stall-headers' }) });
    const http = client({ timeoutMs: 40, deadlineMs: 150, maxAttempts: 100 });
    const error = await caught(http.request(`${site.origin}/slow`));

    expect(isTimeoutError(error)).toBe(true);
    expect(error.message).toMatch(
      new RegExp(`^GET ${site.origin}/slow ran past its deadline of 150 ms \\(\\d+ attempts?\\)$`),
    );
    await until(() => site.stats().inFlight === 0);
  });
});
