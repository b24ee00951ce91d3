import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
  isCancelledError,
  isHttpStatusError,
  isParseError,
  isReplayMissError,
  isTimeoutError,
} from '../errors.ts';
import { createHttpClient } from './client.ts';
import type { HttpClient, HttpEvent, RecordedExchange } from './types.ts';
import { caught } from '../../test/support/errors.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface TestServer {
  origin: string;
  server: Server;
  connections: number;
  hits: number;
}

let handler: Handler = (_req, res) => res.end('ok');
let site: TestServer;

async function startServer(): Promise<TestServer> {
  const server = createServer((req, res) => {
    state.hits += 1;
    handler(req, res);
  });
  const state: TestServer = { origin: '', server, connections: 0, hits: 0 };
  server.on('connection', () => {
    state.connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return state;
}

async function stopServer(state: TestServer): Promise<void> {
  state.server.closeAllConnections();
  await new Promise<void>((resolve) => state.server.close(() => resolve()));
}

async function withClient<T>(
  options: Parameters<typeof createHttpClient>[0],
  use: (client: HttpClient) => Promise<T>,
): Promise<T> {
  const client = createHttpClient({ backoffBaseMs: 1, maxWaitMs: 20, ...options });
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

beforeAll(async () => {
  site = await startServer();
});

afterAll(async () => {
  await stopServer(site);
});

beforeEach(() => {
  // Each test starts with fresh connections so server-side counts belong to that test alone.
  site.server.closeAllConnections();
  site.connections = 0;
  site.hits = 0;
  handler = (_req, res) => res.end('ok');
});

describe('connection reuse', () => {
  it('opens 1 connection for 50 sequential GETs', async () => {
    await withClient({}, async (client) => {
      for (let i = 0; i < 50; i++) await client.request(`${site.origin}/item/${i}`);
      const stats = client.stats();

      expect(site.connections).toBe(1);
      expect(stats.requests).toBe(50);
      expect(stats.connections).toBe(1);
      expect(stats.reuseRatio).toBeCloseTo(0.98, 10);
      expect(stats.byOrigin).toEqual([
        {
          origin: site.origin,
          requests: 50,
          responses: 50,
          connections: 1,
          bytesIn: 100,
          bytesOut: 0,
          retries: 0,
          waitMs: 0,
          errors: 0,
          rateLimitWaits: 0,
          rateLimitWaitMs: 0,
          circuitState: 'closed',
          circuitOpens: 0,
          circuitRejections: 0,
        },
      ]);
    });
  });

  it('opens 50 connections for 50 GETs with the naive profile', async () => {
    await withClient({ profile: 'naive' }, async (client) => {
      for (let i = 0; i < 50; i++) await client.request(`${site.origin}/item/${i}`);

      expect(site.connections).toBe(50);
      expect(client.stats().connections).toBe(50);
      expect(client.stats().reuseRatio).toBe(0);
    });
  });

  it('opens exactly 5 connections for 20 concurrent requests with connections=5', async () => {
    handler = (_req, res) => setTimeout(() => res.end('ok'), 5);
    await withClient({ connections: 5 }, async (client) => {
      const urls = Array.from({ length: 20 }, (_, i) => `${site.origin}/c/${i}`);
      await Promise.all(urls.map((url) => client.request(url)));

      expect(site.connections).toBe(5);
      expect(client.stats().connections).toBe(5);
      expect(client.stats().requests).toBe(20);
    });
  });

  it('keeps the stats of two clients independent', async () => {
    const first = createHttpClient({});
    const second = createHttpClient({});
    try {
      await first.request(`${site.origin}/a`);
      await first.request(`${site.origin}/b`);
      await second.request(`${site.origin}/c`);

      expect(first.stats().requests).toBe(2);
      expect(first.stats().connections).toBe(1);
      expect(second.stats().requests).toBe(1);
      expect(second.stats().connections).toBe(1);
      expect(site.connections).toBe(2);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('reports a null reuse ratio before any request', async () => {
    await withClient({}, (client) => {
      expect(client.stats()).toEqual({
        requests: 0,
        responses: 0,
        connections: 0,
        bytesIn: 0,
        bytesOut: 0,
        retries: 0,
        waitMs: 0,
        errors: 0,
        reuseRatio: null,
        byOrigin: [],
      });
      return Promise.resolve();
    });
  });
});

describe('retries', () => {
  function failFirst(status: number, headers: Record<string, string> = {}): void {
    let calls = 0;
    handler = (_req, res) => {
      calls += 1;
      if (calls === 1) {
        res.writeHead(status, headers).end('busy');
        return;
      }
      res.end('done');
    };
  }

  it('retries a 503 once and honours Retry-After: 0', async () => {
    failFirst(503, { 'retry-after': '0' });
    await withClient({}, async (client) => {
      const response = await client.request(`${site.origin}/r`);

      expect(response.text()).toBe('done');
      expect(response.attempts).toBe(2);
      expect(client.stats().retries).toBe(1);
      expect(client.stats().requests).toBe(2);
      expect(client.stats().waitMs).toBe(0);
    });
  });

  it('honours a Retry-After HTTP-date, capped at maxWaitMs', async () => {
    // The client's clock runs with real time plus `skew`; the test moves it on by exactly the
    // cap when the retry starts, so the retry finds the pause just over and needs no wait.
    let skew = 0;
    const now = () => Date.now() + skew;
    failFirst(503, { 'retry-after': new Date(now() + 60_000).toUTCString() });
    const events: HttpEvent[] = [];
    const onEvent = (event: HttpEvent) => {
      events.push(event);
      if (event.type === 'retry') skew += 15;
    };
    await withClient({ maxWaitMs: 15, now, onEvent }, async (client) => {
      // Were the minute not capped, the retry would wait for it and meet this deadline instead.
      const response = await client.request(`${site.origin}/r`, { deadlineMs: 5_000 });
      const [origin] = client.stats().byOrigin;

      expect(response.status).toBe(200);
      expect(response.attempts).toBe(2);
      expect(events).toEqual([
        { type: 'retry', origin: site.origin, attempt: 2, waitMs: 0, reason: 'retry-after' },
      ]);
      expect(origin?.retries).toBe(1);
      expect(origin?.rateLimitWaits).toBe(0);
      expect(origin?.waitMs).toBe(0);
    });
  });

  it('waits out the capped pause of a Retry-After HTTP-date', async () => {
    // The clock stands still until the retry asks to start, then jumps 10 ms: 5 ms of the
    // 15 ms cap are left, and the rate limiter reports exactly that wait.
    let clock = Date.parse('2026-01-01T00:00:00Z');
    let retried!: () => void;
    const retry = new Promise<void>((resolve) => (retried = resolve));
    const events: HttpEvent[] = [];
    const onEvent = (event: HttpEvent) => {
      events.push(event);
      if (event.type !== 'retry') return;
      clock += 10;
      retried();
    };
    failFirst(503, { 'retry-after': new Date(clock + 60_000).toUTCString() });
    await withClient({ maxWaitMs: 15, now: () => clock, onEvent }, async (client) => {
      const pending = client.request(`${site.origin}/r`);
      // The limiter sleeps on a real timer, then reads the clock: move it to the pause's end.
      await Promise.race([retry, pending]);
      clock += 5;
      const response = await pending;

      expect(response.status).toBe(200);
      expect(events.filter((event) => event.type === 'rate-limited')).toEqual([
        { type: 'rate-limited', origin: site.origin, key: '', waitMs: 5 },
      ]);
      expect(client.stats().byOrigin[0]?.rateLimitWaitMs).toBe(5);
    });
  });

  it('retries 429 with junk Retry-After using backoff', async () => {
    failFirst(429, { 'retry-after': 'soon' });
    const events: HttpEvent[] = [];
    await withClient(
      { backoffBaseMs: 4, maxWaitMs: 1000, onEvent: (event) => events.push(event) },
      async (client) => {
        await client.request(`${site.origin}/r`);
        const { waitMs, retries, byOrigin } = client.stats();

        expect(retries).toBe(1);
        // Read as `Retry-After: 0` the junk would give reason 'retry-after' and no backoff.
        expect(events.map((event) => event.type === 'retry' && event.reason)).toEqual(['backoff']);
        const [retry] = events;
        expect(retry?.type === 'retry' && retry.waitMs).toBe(waitMs);
        // Full jitter on the first retry draws from [0, backoffBaseMs].
        expect([0, 1, 2, 3, 4]).toContain(waitMs);
        expect(byOrigin[0]?.rateLimitWaits).toBe(0);
      },
    );
  });

  it('does not retry a POST on 503', async () => {
    failFirst(503, { 'retry-after': '0' });
    await withClient({}, async (client) => {
      const error = await caught(
        client.request(`${site.origin}/p`, { method: 'POST', body: 'x=1' }),
      );

      expect(isHttpStatusError(error) && error.status).toBe(503);
      expect(isHttpStatusError(error) && error.isRetryable).toBe(true);
      expect(site.hits).toBe(1);
      expect(client.stats().bytesOut).toBe(3);
      expect(client.stats().errors).toBe(1);
    });
  });

  it('does not retry a 404 and names status, method and redacted URL', async () => {
    handler = (_req, res) => res.writeHead(404).end('  no\n\n such   thing ');
    await withClient({}, async (client) => {
      const error = await caught(
        client.request(`${site.origin}/missing`, { query: { access_token: 's3cret', q: 'a' } }),
      );

      expect(site.hits).toBe(1);
      expect(isHttpStatusError(error)).toBe(true);
      expect(error.message).toBe(
        `GET ${site.origin}/missing?access_token=***&q=a answered 404: no such thing`,
      );
      expect(isHttpStatusError(error) && error.isRetryable).toBe(false);
    });
  });

  it('returns a non-2xx response with acceptStatus any', async () => {
    handler = (_req, res) => res.writeHead(500).end('down');
    await withClient({ maxAttempts: 1 }, async (client) => {
      const response = await client.request(`${site.origin}/h`, { acceptStatus: 'any' });

      expect(response.status).toBe(500);
      expect(response.text()).toBe('down');
    });
  });

  it('stops waiting for a retry when the signal aborts', async () => {
    failFirst(503, { 'retry-after': '30' });
    await withClient({ maxWaitMs: 60_000 }, async (client) => {
      const controller = new AbortController();
      const pending = caught(client.request(`${site.origin}/r`, { signal: controller.signal }));
      setTimeout(() => controller.abort(), 20);

      expect(isCancelledError(await pending)).toBe(true);
    });
  });
});

describe('timeouts and bodies', () => {
  it('aborts a stalled response and raises TimeoutError', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-length': '10' });
      res.write('12345');
    };
    await withClient({ maxAttempts: 1 }, async (client) => {
      const error = await caught(client.request(`${site.origin}/slow`, { timeoutMs: 30 }));

      expect(isTimeoutError(error)).toBe(true);
      expect(error.message).toBe(`GET ${site.origin}/slow took longer than 30 ms (attempt 1)`);
    });
  });

  it('raises CancelledError when the caller aborts', async () => {
    handler = () => {};
    await withClient({ maxAttempts: 1 }, async (client) => {
      const controller = new AbortController();
      const pending = caught(client.request(`${site.origin}/hang`, { signal: controller.signal }));
      setTimeout(() => controller.abort(), 10);

      expect(isCancelledError(await pending)).toBe(true);
    });
  });

  it('decodes a gzip body and lower-cases headers', async () => {
    const payload = JSON.stringify({ hello: 'world', n: [1, 2, 3] });
    const zipped = gzipSync(payload);
    handler = (_req, res) =>
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'X-Thing': 'A' }).end(zipped);
    await withClient({}, async (client) => {
      const response = await client.request(`${site.origin}/gz`);

      expect(response.json()).toEqual({ hello: 'world', n: [1, 2, 3] });
      expect(response.headers['x-thing']).toBe('A');
      expect(client.stats().bytesIn).toBe(zipped.length);
    });
  });

  it('raises ParseError for truncated JSON naming URL, content-type and body start', async () => {
    handler = (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data": [1, 2');
    await withClient({}, async (client) => {
      const response = await client.request(`${site.origin}/bad`);
      const error = await caught(Promise.resolve().then(() => response.json()));

      expect(isParseError(error)).toBe(true);
      expect(error.message).toBe(
        `Body of ${site.origin}/bad is not valid JSON (content-type: application/json, 14 bytes); it starts with "{\\"data\\": [1, 2"`,
      );
    });
  });

  it('appends query values in order, repeating arrays and skipping null', async () => {
    let seen = '';
    handler = (req, res) => {
      seen = req.url ?? '';
      res.end('ok');
    };
    await withClient({}, async (client) => {
      await client.request(`${site.origin}/q?a=1`, {
        query: { b: 2, c: null, d: undefined, 'id[]': ['x', 'y'], e: true },
      });

      expect(seen).toBe('/q?a=1&b=2&id%5B%5D=x&id%5B%5D=y&e=true');
    });
  });
});

describe('bodies of every kind', () => {
  it('answers 204, 304 and HEAD without a body and reuses the one socket after them', async () => {
    handler = (req, res) => {
      if (req.url === '/none') res.writeHead(204).end();
      else if (req.url === '/same') res.writeHead(304, { etag: '"a"' }).end();
      else res.writeHead(200, { 'content-length': '5' }).end(req.method === 'HEAD' ? '' : 'hello');
    };
    await withClient({ connections: 1 }, async (client) => {
      const none = await client.request(`${site.origin}/none`);
      const same = await client.request(`${site.origin}/same`, { acceptStatus: 'any' });
      const page = await client.request(`${site.origin}/page`);
      expect(site.connections).toBe(1);
      const head = await client.request(`${site.origin}/page`, { method: 'HEAD' });
      await client.request(`${site.origin}/page`);

      expect([none.status, none.body.length]).toEqual([204, 0]);
      expect([same.status, same.body.length]).toEqual([304, 0]);
      expect(page.text()).toBe('hello');
      expect([head.status, head.body.length]).toEqual([200, 0]);
      // undici retires a socket after HEAD, in case the server sends a body anyway (client-h1.js,
      // writeH1); the request after it needs a new connection, and nothing stalls.
      expect(site.connections).toBe(2);
    });
  });

  it('fails an attempt whose body passes maxResponseBytes, and frees the socket', async () => {
    handler = (req, res) => res.end(req.url === '/big' ? 'x'.repeat(5_000) : 'ok');
    await withClient({ connections: 1, maxResponseBytes: 1_000 }, async (client) => {
      const error = await caught(client.request(`${site.origin}/big`));

      expect(isParseError(error)).toBe(true);
      expect(error.message).toBe(`GET ${site.origin}/big answered a body larger than 1000 bytes`);
      expect((await client.request(`${site.origin}/small`)).text()).toBe('ok');
    });
  });

  it('cancels the requests in flight when the client closes', async () => {
    handler = () => {};
    const client = createHttpClient({});
    const pending = caught(client.request(`${site.origin}/hang`));
    while (site.hits === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    await client.close();
    const error = await pending;

    expect(isCancelledError(error)).toBe(true);
    expect(error.message).toBe(`GET ${site.origin}/hang was cancelled: the HTTP client closed`);
    expect(isCancelledError(await caught(client.request(`${site.origin}/late`)))).toBe(true);
  });
});

describe('replay rewriting and recording', () => {
  it('rewrites a mapped origin, keeping path and query', async () => {
    let seen = '';
    handler = (req, res) => {
      seen = req.url ?? '';
      res.end('ok');
    };
    const originMap = new Map([['https://oauth.reddit.com', site.origin]]);
    await withClient({ originMap }, async (client) => {
      const response = await client.request('https://oauth.reddit.com/user/spez/?limit=5');

      expect(seen).toBe('/user/spez/?limit=5');
      expect(response.url).toBe(`${site.origin}/user/spez/?limit=5`);
      expect(client.stats().byOrigin.map((entry) => entry.origin)).toEqual([
        'https://oauth.reddit.com',
      ]);
    });
  });

  it('refuses an unmapped origin with strictOrigins', async () => {
    const originMap = new Map([['https://oauth.reddit.com', site.origin]]);
    await withClient({ originMap }, async (client) => {
      const error = await caught(client.request('https://www.reddit.com/api/v1/access_token'));

      expect(isReplayMissError(error)).toBe(true);
      expect(error.message).toContain('https://www.reddit.com');
      expect(site.hits).toBe(0);
    });
  });

  it('turns a replay-server miss into ReplayMissError', async () => {
    handler = (_req, res) => res.writeHead(404, { 'x-flywheel-replay': 'miss' }).end('{}');
    await withClient({}, async (client) => {
      const error = await caught(client.request(`${site.origin}/nothing`));

      expect(isReplayMissError(error)).toBe(true);
    });
  });

  it('hands every exchange to the recorder, without credentials', async () => {
    const zipped = gzipSync('recorded');
    handler = (_req, res) =>
      res.writeHead(201, { 'content-encoding': 'gzip', 'x-a': 'b' }).end(zipped);
    const seen: RecordedExchange[] = [];
    await withClient(
      { recorder: { record: (exchange) => seen.push(exchange) } },
      async (client) => {
        await client.request(`${site.origin}/rec?x=1`, {
          method: 'PUT',
          body: 'payload',
          headers: { Authorization: 'Bearer t', Cookie: 'c=1', Accept: 'text/plain' },
        });

        expect(seen).toHaveLength(1);
        const [exchange] = seen;
        expect(exchange?.method).toBe('PUT');
        expect(exchange?.url).toBe(`${site.origin}/rec?x=1`);
        expect(exchange?.requestHeaders).toEqual({
          'user-agent': 'flywheel/0.1',
          'accept-encoding': 'gzip, deflate, br',
          accept: 'text/plain',
        });
        expect(exchange?.requestBody).toBe('payload');
        expect(exchange?.status).toBe(201);
        expect(exchange?.statusMessage).toBe('Created');
        expect(exchange?.responseHeaders['content-encoding']).toBe('gzip');
        expect(exchange?.responseBody.equals(zipped)).toBe(true);
      },
    );
  });
});
