import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { configSchema, type AppConfigInput } from '../../config/schema.ts';
import { createHttpClient } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';
import { silentLogger } from '../../observe/logger.ts';
import type { Cache, TaskContext } from '../../pipeline/types.ts';
import { createRedditAdapter } from '../../platforms/reddit.ts';
import type { PlatformAdapter, PlatformName } from '../../platforms/types.ts';
import type { Store } from '../../store/types.ts';
import { checkHttp } from './checks.ts';
import { createHealthOperator } from './operator.ts';

const DATA = fileURLToPath(new URL('../../../../shared/data/health-checks/', import.meta.url));

let server: Server;
let base = '';
let http: HttpClient;
/** The recorded Mastodon /health answer, served when the data folder is present. */
let recorded: { status: number; headers: Record<string, string>; body: string } | undefined;

beforeAll(async () => {
  if (existsSync(DATA)) recorded = readRecordedHealth();

  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/health') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('OK');
    } else if (path === '/recorded' && recorded !== undefined) {
      res.writeHead(recorded.status, recorded.headers).end(recorded.body);
    } else if (path === '/down') {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('maintenance');
    } else if (path.startsWith('/slow/')) {
      // Answers after the given number of milliseconds.
      setTimeout(() => res.writeHead(200).end('OK'), Number(path.slice(6)));
    } else if (path === '/stall') {
      // Never answers; afterAll closes the socket.
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  http = createHttpClient({ maxAttempts: 1 });
});

afterAll(async () => {
  await http.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function readRecordedHealth(): { status: number; headers: Record<string, string>; body: string } {
  const cassette = parseYaml(readFileSync(`${DATA}test_health.yaml`, 'utf8')) as {
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

function makeContext(config: AppConfigInput, store: Partial<Store>): TaskContext {
  const cache: Cache = {
    getOrSet: (_key, _ttl, factory) => factory(),
    stats: () => ({ hits: 0, misses: 0 }),
  };
  return {
    runId: 'run-1',
    task: 'health',
    attempt: 1,
    config: configSchema.parse(config),
    logger: silentLogger,
    store: store as Store,
    http,
    cache,
    signal: new AbortController().signal,
    now: () => new Date('2024-01-01T00:00:00Z'),
    inputs: {},
    downPlatforms: new Set(),
    progress: () => undefined,
  };
}

function adapter(name: PlatformName, url: string): PlatformAdapter {
  return {
    name,
    batchSize: 1,
    fetchPage: () => Promise.reject(new Error('not used')),
    lookup: () => Promise.reject(new Error('not used')),
    healthUrl: () => url,
  };
}

describe('checkHttp', () => {
  it('reports a 200 text/plain "OK" as up', async () => {
    const result = await checkHttp(http, `${base}/health`, { expectBody: 'OK' });

    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.error).toBeUndefined();
  });

  it('reports a 503 as down with its status', async () => {
    const result = await checkHttp(http, `${base}/down`);

    expect(result).toMatchObject({ ok: false, status: 503, error: 'status 503, expected 2xx' });
  });

  it('reports a stalled server as down after the timeout', async () => {
    const started = performance.now();
    const result = await checkHttp(http, `${base}/stall`, { timeoutMs: 100 });

    expect(result.ok).toBe(false);
    expect(result.status).toBeUndefined();
    expect(result.error).toMatch(/100 ?ms/);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('reports a body without the expected text as down', async () => {
    const result = await checkHttp(http, `${base}/health`, { expectBody: '"status":"UP"' });

    expect(result).toMatchObject({
      ok: false,
      status: 200,
      error: 'body "OK" does not contain "\\"status\\":\\"UP\\""',
    });
  });

  it('reports a refused connection as down', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const result = await checkHttp(http, `http://127.0.0.1:${port}/health`, { timeoutMs: 2_000 });

    expect(result.ok).toBe(false);
    expect(result.error).toBeTruthy();
  });
});

describe.skipIf(!existsSync(DATA))(
  'recorded Mastodon /health (skipped: ../shared/data absent)',
  () => {
    it('reports the recorded exchange as up', async () => {
      const result = await checkHttp(http, `${base}/recorded`, { expectBody: 'OK' });

      expect(recorded?.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(result).toMatchObject({ ok: true, status: 200 });
    });
  },
);

describe('createHealthOperator', () => {
  it('probes platforms with accounts, services and the store, and lists down platforms', async () => {
    const operator = createHealthOperator({
      adapters: {
        mastodon: adapter('mastodon', `${base}/health`),
        reddit: adapter('reddit', `${base}/down`),
        youtube: adapter('youtube', `${base}/health`),
      },
      timeoutMs: 200,
    });
    const ctx = makeContext(
      {
        accounts: [
          { platform: 'mastodon', id: '1' },
          { platform: 'mastodon', id: '2' },
          { platform: 'reddit', id: 'spez' },
          { platform: 'hackernews', id: 'pg' },
        ],
        services: [
          { name: 'api', healthUrl: `${base}/health`, expectBody: 'OK' },
          { name: 'stuck', healthUrl: `${base}/stall` },
          { name: 'metrics-only', metricsUrl: `${base}/metrics` },
        ],
      },
      { countPosts: () => 12 },
    );

    const output = await operator.execute(ctx);

    expect(operator.name).toBe('health');
    expect(operator.dependsOn).toEqual([]);
    expect(output.checks.map((c) => [c.name, c.kind, c.ok, c.status ?? null])).toEqual([
      ['mastodon', 'platform', true, 200],
      ['reddit', 'platform', false, 503],
      ['hackernews', 'platform', false, null],
      ['api', 'service', true, 200],
      ['stuck', 'service', false, null],
      ['store', 'store', true, null],
    ]);
    expect(output.checks[2]?.error).toBe('no adapter registered for platform "hackernews"');
    expect(output.checks[4]?.error).toBe('no answer within 200 ms');
    expect(output.checks[5]?.target).toBe('.flywheel/flywheel.sqlite');
    expect(output.downPlatforms).toEqual(['reddit', 'hackernews']);
  });

  it('reports a platform whose credentials are missing as down without calling it', async () => {
    const operator = createHealthOperator({
      adapters: {
        reddit: createRedditAdapter({
          baseUrl: `${base}/health`,
          clientIdEnv: 'FW_TEST_REDDIT_ID',
          clientSecretEnv: 'FW_TEST_REDDIT_SECRET',
        }),
      },
    });
    const ctx = makeContext(
      { accounts: [{ platform: 'reddit', id: 'spez' }] },
      { countPosts: () => 0 },
    );
    const before = http.stats().requests;

    const output = await operator.execute(ctx);

    expect(output.checks[0]).toMatchObject({ name: 'reddit', ok: false });
    expect(output.checks[0]?.error).toBe(
      'reddit credentials missing: set the environment variables FW_TEST_REDDIT_ID and FW_TEST_REDDIT_SECRET',
    );
    expect(output.downPlatforms).toEqual(['reddit']);
    expect(http.stats().requests).toBe(before);
  });

  it('reports a failing store as down without failing the task', async () => {
    const operator = createHealthOperator({ adapters: {} });
    const ctx = makeContext(
      {},
      {
        countPosts: () => {
          throw new Error('database is locked');
        },
      },
    );

    const output = await operator.execute(ctx);

    expect(output.checks).toEqual([
      expect.objectContaining({ name: 'store', ok: false, error: 'database is locked' }),
    ]);
    expect(output.downPlatforms).toEqual([]);
  });

  it('takes about as long as its slowest check', async () => {
    const operator = createHealthOperator({ adapters: {} });
    const ctx = makeContext(
      {
        services: [
          { name: 's50', healthUrl: `${base}/slow/50` },
          { name: 's100', healthUrl: `${base}/slow/100` },
          { name: 's150', healthUrl: `${base}/slow/150` },
        ],
      },
      { countPosts: () => 0 },
    );

    const started = performance.now();
    const output = await operator.execute(ctx);
    const elapsed = performance.now() - started;

    expect(output.checks.filter((c) => c.ok)).toHaveLength(4);
    expect(elapsed).toBeGreaterThanOrEqual(145);
    expect(elapsed).toBeLessThan(150 + 500);
  });
});
