/**
 * The reuse ratio claims only what happened: requests answered on connections already open.
 * Requests that never got an answer (reset, refused) claim nothing, whatever the counts say.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, reuseRatio } from '../../src/http/index.ts';
import { startServer, type TestServer } from '../support/http-server.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('reuseRatio', () => {
  it('is n/a when requests were written but none was answered', () => {
    // The trial's case: written on a stale kept-alive socket, then refused on reconnect.
    expect(reuseRatio({ requests: 3, connections: 0, responses: 0 })).toBeNull();
    expect(reuseRatio({ requests: 0, connections: 0, responses: 0 })).toBeNull();
  });

  it('is 1 - connections / requests once a request was answered, within [0, 1]', () => {
    expect(reuseRatio({ requests: 212, connections: 13, responses: 212 })).toBeCloseTo(0.9387, 4);
    expect(reuseRatio({ requests: 19, connections: 0, responses: 19 })).toBe(1);
    expect(reuseRatio({ requests: 2, connections: 5, responses: 1 })).toBe(0);
  });

  it('judges figures without a response count on requests alone', () => {
    expect(reuseRatio({ requests: 10, connections: 1 })).toBeCloseTo(0.9, 6);
  });
});

describe('the client reuse ratio', () => {
  it('is null when every request is cut before an answer', async () => {
    server = await startServer((req) => req.socket.destroy());
    const http = createHttpClient({ maxAttempts: 2, backoffBaseMs: 1 });
    await expect(http.request(`${server.base}/x`)).rejects.toThrow(/failed/);
    const stats = http.stats();
    await http.close();

    expect(stats.requests).toBe(2);
    expect(stats.responses).toBe(0);
    expect(stats.reuseRatio).toBeNull();
  });

  it('counts answered requests on one kept-alive connection', async () => {
    server = await startServer((_req, res) => res.end('ok'));
    const http = createHttpClient({ connections: 1 });
    for (let i = 0; i < 4; i++) await http.request(`${server.base}/x`);
    const stats = http.stats();
    await http.close();

    expect([stats.requests, stats.responses, stats.connections]).toEqual([4, 4, 1]);
    expect(stats.reuseRatio).toBe(0.75);
  });

  it('is null when the connection is refused', async () => {
    const http = createHttpClient({ maxAttempts: 1 });
    await expect(http.request('http://127.0.0.1:9/x')).rejects.toThrow(/ECONNREFUSED/);
    const stats = http.stats();
    await http.close();

    expect(stats.reuseRatio).toBeNull();
    expect(stats.byOrigin.map((origin) => reuseRatio(origin))).toEqual([null]);
  });
});
