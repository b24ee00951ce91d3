/** Each kind of check against real peers: HTTP servers, TCP listeners, Redis and PostgreSQL. */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createHttpClient } from '../../src/http/index.ts';
import type { HttpClient } from '../../src/http/types.ts';
import {
  checkHttp,
  checkPostgres,
  checkRedis,
  checkTcp,
} from '../../src/operators/health/index.ts';
import { dataPath, hasData, SKIP_NOTE } from '../support/data.ts';
import { startServer, type TestServer } from '../support/http-server.ts';
import { isPostgresUp, PG_URL } from '../support/pg.ts';
import { isRedisUp, REDIS_URL } from '../support/redis.ts';
import { closedPort } from '../support/tcp-proxy.ts';

interface Recorded {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The recorded Mastodon /health answer (vcrpy YAML). */
function readMastodonHealth(): Recorded {
  const cassette = parseYaml(readFileSync(dataPath('health-checks/test_health.yaml'), 'utf8')) as {
    interactions: Array<{
      response: {
        status: { code: number };
        headers: Record<string, string[]>;
        body: { string: string };
      };
    }>;
  };
  const response = cassette.interactions[0]!.response;
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(response.headers)) headers[name] = values.join(', ');
  return { status: response.status.code, headers, body: response.body.string };
}

let server: TestServer;
let http: HttpClient;
const stalled: Array<() => void> = [];

beforeAll(async () => {
  const mastodon = hasData ? readMastodonHealth() : undefined;
  const actuator = hasData
    ? readFileSync(dataPath('health-checks/camunda-issue-40377-actuator-health.json'), 'utf8')
    : '{}';

  server = await startServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/health') res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
    else if (path === '/mastodon' && mastodon)
      res.writeHead(mastodon.status, mastodon.headers).end(mastodon.body);
    else if (path === '/actuator')
      res.writeHead(200, { 'content-type': 'application/json' }).end(actuator);
    else if (path === '/down')
      res.writeHead(503, { 'content-type': 'text/plain' }).end('maintenance');
    else if (path === '/missing') res.writeHead(404).end('no');
    else if (path === '/teapot') res.writeHead(418).end('short and stout');
    else if (path === '/slow') setTimeout(() => res.writeHead(200).end('OK'), 40);
    else if (path === '/stall') stalled.push(() => res.destroy());
    else res.writeHead(404).end();
  });
  http = createHttpClient({ maxAttempts: 1 });
});

afterAll(async () => {
  for (const release of stalled) release();
  await http.close();
  await server.close();
});

describe('checkHttp', () => {
  it('reports a 200 text/plain "OK" as up', async () => {
    expect(await checkHttp(http, `${server.base}/health`, { expectBody: 'OK' })).toMatchObject({
      ok: true,
      status: 200,
    });
  });

  it('reports a 503 as down with its status', async () => {
    expect(await checkHttp(http, `${server.base}/down`)).toMatchObject({
      ok: false,
      status: 503,
      error: `GET ${server.base}/down: status 503, expected 2xx`,
    });
  });

  it('counts a 4xx as up for platform probes, and only the listed statuses when given', async () => {
    const platform = await checkHttp(http, `${server.base}/missing`, { isClientErrorUp: true });
    const strict = await checkHttp(http, `${server.base}/missing`);
    const listed = await checkHttp(http, `${server.base}/teapot`, { expectStatus: [200, 418] });
    const unlisted = await checkHttp(http, `${server.base}/health`, { expectStatus: [204] });

    expect([platform.ok, strict.error]).toEqual([
      true,
      `GET ${server.base}/missing: status 404, expected 2xx`,
    ]);
    expect(listed).toMatchObject({ ok: true, status: 418 });
    expect(unlisted).toMatchObject({
      ok: false,
      error: `GET ${server.base}/health: status 200, expected 204`,
    });
  });

  it('ends a stalled check at its own timeout and says so, naming the URL', async () => {
    const result = await checkHttp(http, `${server.base}/stall`, { timeoutMs: 100 });

    expect(result).toMatchObject({
      ok: false,
      error: `GET ${server.base}/stall: no answer within 100 ms`,
    });
    expect(result.status).toBeUndefined();
  });

  it('reports an answer slower than maxLatencyMs as down', async () => {
    const result = await checkHttp(http, `${server.base}/slow`, { maxLatencyMs: 5 });

    expect(result.ok).toBe(false);
    expect(result.error).toMatch(
      new RegExp(`^GET ${server.base}/slow: answered in \\d+ ms, limit 5 ms$`),
    );
  });

  it('checks the body text and a regular expression', async () => {
    const contains = await checkHttp(http, `${server.base}/health`, {
      expectBody: '"status":"UP"',
    });
    const matches = await checkHttp(http, `${server.base}/health`, { bodyMatches: '^O[Kk]$' });
    const fails = await checkHttp(http, `${server.base}/down`, {
      expectStatus: [503],
      bodyMatches: '^ok',
    });

    expect(contains.error).toBe(
      `GET ${server.base}/health: body "OK" does not contain "\\"status\\":\\"UP\\""`,
    );
    expect(matches.ok).toBe(true);
    expect(fails.error).toBe(`GET ${server.base}/down: body "maintenance" does not match /^ok/`);
  });

  it('reports a body that is not JSON when JSON conditions are set', async () => {
    const result = await checkHttp(http, `${server.base}/health`, {
      json: [{ path: 'status', equals: 'UP' }],
    });

    expect(result.ok).toBe(false);
    expect(result.error).toMatch(new RegExp(`^GET ${server.base}/health: body "OK" is not JSON`));
  });

  it('reports a refused connection as down, naming the URL as a timeout does', async () => {
    const port = await closedPort();
    const result = await checkHttp(http, `http://127.0.0.1:${port}/health`, { timeoutMs: 2_000 });

    expect(result.ok).toBe(false);
    expect(result.error).toMatch(
      new RegExp(`^GET http://127\\.0\\.0\\.1:${port}/health failed: .*ECONNREFUSED`),
    );
  });
});

describe.skipIf(!hasData)(`recorded health answers${SKIP_NOTE}`, () => {
  it('reports the recorded Mastodon /health exchange as up', async () => {
    const result = await checkHttp(http, `${server.base}/mastodon`, {
      expectBody: 'OK',
      bodyMatches: '^OK$',
    });

    expect(result).toMatchObject({ ok: true, status: 200 });
  });

  it('judges the recorded Spring Boot Actuator body by its JSON', async () => {
    const up = await checkHttp(http, `${server.base}/actuator`, {
      json: [
        { path: 'status', equals: 'UP' },
        { path: 'components.db.status', equals: 'UP' },
        { path: 'components.brokerStartup.status', oneOf: ['UP'] },
      ],
    });
    const down = await checkHttp(http, `${server.base}/actuator`, {
      json: [{ path: 'components.db.details.database', equals: 'PostgreSQL' }],
    });

    expect(up).toMatchObject({ ok: true, status: 200 });
    expect(down).toMatchObject({
      ok: false,
      status: 200,
      error: `GET ${server.base}/actuator: components.db.details.database is "H2", expected "PostgreSQL"`,
    });
  });
});

describe('checkTcp', () => {
  it('is up when a connection opens, and closes it', async () => {
    let accepted = 0;
    const listener: Server = createServer((socket) => {
      accepted += 1;
      socket.on('close', () => undefined);
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as AddressInfo;
    try {
      expect(await checkTcp('127.0.0.1', port)).toMatchObject({ ok: true });
      await new Promise((resolve) => setImmediate(resolve));
      expect(accepted).toBe(1);
    } finally {
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
  });

  it('is down with the error code when nothing listens', async () => {
    const port = await closedPort();

    expect(await checkTcp('127.0.0.1', port)).toMatchObject({
      ok: false,
      error: `tcp 127.0.0.1:${port}: ECONNREFUSED`,
    });
  });
});

const redisUp = await isRedisUp();
describe('checkRedis', () => {
  it.skipIf(!redisUp)(
    `is up when Redis answers PONG${redisUp ? '' : ' (skipped: no Redis)'}`,
    async () => {
      expect(await checkRedis(REDIS_URL)).toMatchObject({ ok: true });
    },
  );

  it('is down when nothing listens, without showing the password', async () => {
    const port = await closedPort();
    const result = await checkRedis(`redis://:hunter2@127.0.0.1:${port}`);

    expect(result.ok).toBe(false);
    expect(result.error).toContain(`redis redis://:***@127.0.0.1:${port}`);
    expect(result.error).not.toContain('hunter2');
  });

  it('ends at its own timeout when the server accepts but never answers', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const result = await checkRedis(`redis://127.0.0.1:${port}`, { timeoutMs: 150 });
      expect(result.ok).toBe(false);
      expect(result.error).toMatch(/no answer within 150 ms|timed out|timeout/i);
    } finally {
      silent.close();
    }
  });
});

describe('a check whose signal has already fired', () => {
  it('opens no connection, whatever it probes', async () => {
    let accepted = 0;
    const listener = createServer((socket) => {
      accepted += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as AddressInfo;
    const signal = AbortSignal.abort();
    try {
      const results = [
        await checkTcp('127.0.0.1', port, { signal }),
        await checkRedis(`redis://127.0.0.1:${port}`, { signal }),
        await checkPostgres(`postgres://u@127.0.0.1:${port}/db`, { signal }),
      ];
      await new Promise((resolve) => setTimeout(resolve, 50));

      expect(results.map((result) => [result.ok, result.error])).toEqual([
        [false, `tcp 127.0.0.1:${port}: cancelled`],
        [false, `redis redis://127.0.0.1:${port}: cancelled`],
        [false, `postgres 127.0.0.1:${port}/db: cancelled`],
      ]);
      expect(accepted).toBe(0);
    } finally {
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
  });
});

const postgresUp = await isPostgresUp();
describe('checkPostgres', () => {
  it.skipIf(!postgresUp)(
    `is up when PostgreSQL answers SELECT 1${postgresUp ? '' : ' (skipped: no PostgreSQL)'}`,
    async () => {
      expect(await checkPostgres(PG_URL)).toMatchObject({ ok: true });
    },
  );

  it('is down when nothing listens, without showing the password', async () => {
    const port = await closedPort();
    const result = await checkPostgres(`postgres://flywheel:hunter2@127.0.0.1:${port}/db`);

    expect(result.ok).toBe(false);
    expect(result.error).toMatch(new RegExp(`^postgres 127\\.0\\.0\\.1:${port}/db: `));
    expect(result.error).not.toContain('hunter2');
  });
});
