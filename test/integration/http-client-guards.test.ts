/**
 * What the HTTP client does with its callers' mistakes and observers, against a real server on
 * 127.0.0.1: a request undici refuses, a throwing onEvent, a signal many requests share, and a
 * replay server's miss before the breaker.
 */
import { getEventListeners } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { isCancelledError, isConfigError } from '../../src/errors.ts';
import { createHttpClient } from '../../src/http/index.ts';
import type { HttpClient, HttpClientOptions, HttpEvent } from '../../src/http/index.ts';
import { silentLogger, type Logger } from '../../src/observe/logger.ts';
import { startServer, type TestServer } from '../support/http-server.ts';
import { caught } from '../support/errors.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let handler: Handler = (_req, res) => res.end('ok');
let hits = 0;
let server: TestServer;
let origin: string;

beforeAll(async () => {
  server = await startServer((req, res) => {
    hits += 1;
    handler(req, res);
  });
  origin = server.base;
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.server.closeAllConnections();
  hits = 0;
  handler = (_req, res) => res.end('ok');
});

async function withClient(
  options: HttpClientOptions,
  use: (client: HttpClient) => Promise<void>,
): Promise<void> {
  const client = createHttpClient({ backoffBaseMs: 1, maxWaitMs: 20, ...options });
  try {
    await use(client);
  } finally {
    await client.close();
  }
}

describe('an onEvent callback that throws', () => {
  it('is logged and neither fails a retry nor strands requests waiting for the rate limit', async () => {
    let calls = 0;
    handler = (_req, res) => {
      calls += 1;
      if (calls === 1) res.writeHead(503, { 'retry-after': '0' }).end('busy');
      else res.end('ok');
    };
    const seen: string[] = [];
    const logged: string[] = [];
    const logger: Logger = {
      ...silentLogger,
      error: (_fields, message) => logged.push(message),
      child: () => logger,
    };
    const options = {
      logger,
      rateLimits: { [origin]: { limit: 1, intervalMs: 5 } },
      onEvent: (event: HttpEvent) => {
        seen.push(event.type);
        throw new Error('observer bug');
      },
    };
    await withClient(options, async (client) => {
      const urls = Array.from({ length: 4 }, (_, i) => `${origin}/e/${i}`);
      const texts = await Promise.all(urls.map(async (url) => (await client.request(url)).text()));

      expect(texts).toEqual(['ok', 'ok', 'ok', 'ok']);
      expect(seen).toContain('retry');
      expect(seen).toContain('rate-limited');
      expect(logged).toHaveLength(seen.length);
      expect(new Set(logged)).toEqual(new Set(['onEvent failed']));
    });
  });
});

describe('a request the caller got wrong', () => {
  it('fails once without retry, never reaches the server and leaves the circuit closed', async () => {
    const events: string[] = [];
    await withClient(
      { breaker: { consecutiveFailures: 3 }, onEvent: (event) => events.push(event.type) },
      async (client) => {
        const bad = { headers: { 'x-bad': 'a\nb' } };
        const first = await caught(client.request(`${origin}/bad`, bad));
        const second = await caught(client.request(`${origin}/bad`, bad));
        const token = { headers: { authorization: 'Bearer s3cret-token\n' } };
        const third = await caught(client.request(`${origin}/bad`, token));

        for (const error of [first, second, third]) {
          expect(isConfigError(error)).toBe(true);
          expect(isConfigError(error) && error.isRetryable).toBe(false);
        }
        expect(third.message).toBe(
          `GET ${origin}/bad was not sent: the value of header "authorization" contains a line break (a token read from a file with its trailing newline? trim it)`,
        );
        expect(JSON.stringify(third)).not.toContain('s3cret');
        expect(hits).toBe(0);
        expect(events).toEqual([]);
        expect(client.stats().retries).toBe(0);
        expect((await client.request(`${origin}/good`)).text()).toBe('ok');
        expect(client.stats().byOrigin[0]?.circuitState).toBe('closed');
        expect(hits).toBe(1);
      },
    );
  });
});

describe('a signal many requests share', () => {
  it('puts one abort listener on a signal that 30 requests in flight share', async () => {
    const held: ServerResponse[] = [];
    handler = (_req, res) => held.push(res);
    await withClient({ maxAttempts: 1, connections: 30 }, async (client) => {
      const controller = new AbortController();
      const { signal } = controller;
      const pending = Array.from({ length: 30 }, (_, i) =>
        caught(client.request(`${origin}/h/${i}`, { signal })),
      );
      while (held.length < 30) await new Promise((resolve) => setTimeout(resolve, 1));

      expect(getEventListeners(signal, 'abort')).toHaveLength(1);
      controller.abort();
      const errors = await Promise.all(pending);

      expect(errors.every((error) => isCancelledError(error))).toBe(true);
      expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    });
  });

  it('removes the shared listener when the last request on the signal ends', async () => {
    handler = (_req, res) => res.end('ok');
    await withClient({}, async (client) => {
      const { signal } = new AbortController();
      const urls = Array.from({ length: 12 }, (_, i) => `${origin}/d/${i}`);
      await Promise.all(urls.map((url) => client.request(url, { signal })));

      expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    });
  });
});

describe("a replay server's miss", () => {
  it('gives the breaker no verdict on a replay-server miss', async () => {
    const answers = [503, 'miss', 503] as const;
    let call = 0;
    handler = (_req, res) => {
      const answer = answers[Math.min(call++, answers.length - 1)];
      if (answer === 'miss') res.writeHead(404, { 'x-flywheel-replay': 'miss' }).end('{}');
      else res.writeHead(503).end('down');
    };
    const events: HttpEvent[] = [];
    const options = {
      maxAttempts: 1,
      breaker: { consecutiveFailures: 2, failureRatio: 0 },
      onEvent: (event: HttpEvent) => events.push(event),
    };
    await withClient(options, async (client) => {
      const errors = [];
      for (let i = 0; i < 3; i++) errors.push(await caught(client.request(`${origin}/x`)));

      expect(errors.map((error) => (error as { code?: string }).code)).toEqual([
        'E_HTTP_STATUS',
        'E_REPLAY_MISS',
        'E_HTTP_STATUS',
      ]);
      // The miss did not reset the streak: the second 503 opens the circuit.
      expect(events.filter((event) => event.type === 'circuit')).toEqual([
        { type: 'circuit', origin: origin, from: 'closed', to: 'open' },
      ]);
    });
  });
});
