/** The health task end to end against real peers: parallel rounds, thresholds, breakers, skips. */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, type AppConfigInput } from '../../src/config/schema.ts';
import { createNoCache } from '../../src/cache/index.ts';
import { createHttpClient } from '../../src/http/index.ts';
import type { HttpClient } from '../../src/http/types.ts';
import { silentLogger } from '../../src/observe/logger.ts';
import { createHealthOperator } from '../../src/operators/health/index.ts';
import type { TaskContext } from '../../src/pipeline/types.ts';
import { createRedditAdapter } from '../../src/platforms/reddit.ts';
import type { PlatformAdapter, PlatformName } from '../../src/platforms/types.ts';
import { openSqliteStore, type SqliteStore } from '../../src/store/index.ts';
import type { Store } from '../../src/store/types.ts';
import { startServer, type TestServer } from '../support/http-server.ts';
import { isPostgresUp } from '../support/pg.ts';
import { isRedisUp } from '../support/redis.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';

let server: TestServer;
let http: HttpClient;
let dir: string;
/** Requests per path. */
const hits = new Map<string, number>();
/** Paths that answer 503 while listed here. */
const failing = new Set<string>();
let gate: { arrive(): Promise<void>; arrived: number } | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flywheel-health-'));
  server = await startServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path.startsWith('/gated/') && gate) {
      void gate.arrive().then(() => res.writeHead(200).end('OK'));
    } else if (failing.has(path) || path === '/down') {
      res.writeHead(503).end('maintenance');
    } else {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
    }
  });
  http = createHttpClient({ maxAttempts: 1 });
});

afterAll(async () => {
  await http.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** Releases everyone once `total` have arrived. */
function barrier(total: number): { arrive(): Promise<void>; arrived: number } {
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  const state = {
    arrived: 0,
    arrive(): Promise<void> {
      state.arrived += 1;
      if (state.arrived === total) release();
      return all;
    },
  };
  return state;
}

function context(config: AppConfigInput, store: Store): TaskContext {
  return {
    runId: 'run-1',
    task: 'health',
    attempt: 1,
    config: configSchema.parse(config),
    logger: silentLogger,
    store,
    http,
    cache: createNoCache(),
    signal: new AbortController().signal,
    now: () => new Date(),
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

function storeAt(name: string): SqliteStore {
  return openSqliteStore(join(dir, `${name}.sqlite`));
}

describe('createHealthOperator', () => {
  it('probes platforms with accounts, services, checks and the store, and lists down platforms', async () => {
    const store = storeAt('plan');
    const operator = createHealthOperator({
      adapters: {
        mastodon: adapter('mastodon', `${server.base}/health`),
        reddit: adapter('reddit', `${server.base}/down`),
      },
    });
    const ctx = context(
      {
        accounts: [
          { platform: 'mastodon', id: '1' },
          { platform: 'mastodon', id: '2' },
          { platform: 'reddit', id: 'spez' },
          { platform: 'hackernews', id: 'pg' },
        ],
        services: [
          { name: 'api', healthUrl: `${server.base}/health`, expectBody: 'OK' },
          { name: 'metrics-only', metricsUrl: `${server.base}/metrics` },
        ],
        health: {
          checks: [{ type: 'http', name: 'admin', url: `${server.base}/down`, status: [503] }],
        },
        store: { path: store.path },
      },
      store,
    );

    const output = await operator.execute(ctx);
    store.close();

    expect(output.checks.map((c) => [c.name, c.kind, c.probe, c.state, c.status ?? null])).toEqual([
      ['mastodon', 'platform', 'http', 'up', 200],
      ['reddit', 'platform', 'http', 'down', 503],
      ['hackernews', 'platform', 'http', 'down', null],
      ['api', 'service', 'http', 'up', 200],
      ['admin', 'check', 'http', 'up', 503],
      ['store', 'store', 'sql', 'up', null],
    ]);
    expect(output.checks[2]?.error).toBe('no adapter registered for platform "hackernews"');
    expect(output.downPlatforms).toEqual(['reddit', 'hackernews']);
    expect(output.downReasons.reddit).toMatch(
      /^GET \S+: status 503, expected below 500 since \d{4}-/,
    );
  });

  it('reports a platform whose credentials are missing as down without calling it', async () => {
    const store = storeAt('credentials');
    const operator = createHealthOperator({
      adapters: {
        reddit: createRedditAdapter({
          baseUrl: `${server.base}/reddit-api`,
          authUrl: `${server.base}/reddit-auth`,
          clientIdEnv: 'FW_TEST_REDDIT_ID',
          clientSecretEnv: 'FW_TEST_REDDIT_SECRET',
        }),
      },
    });
    const before = http.stats().requests;

    const output = await operator.execute(
      context({ accounts: [{ platform: 'reddit', id: 'spez' }] }, store),
    );
    store.close();

    expect(output.checks[0]).toMatchObject({ name: 'reddit', state: 'down' });
    expect(output.checks[0]?.error).toBe(
      'reddit credentials missing: set the environment variables FW_TEST_REDDIT_ID and FW_TEST_REDDIT_SECRET',
    );
    expect(output.downPlatforms).toEqual(['reddit']);
    expect(http.stats().requests).toBe(before);
  });

  it('reports a store that does not answer as down without failing the task', async () => {
    const broken = {
      ping: () => {
        throw new Error('database is locked');
      },
      loadHealth: () => {
        throw new Error('database is locked');
      },
      saveHealth: () => {
        throw new Error('database is locked');
      },
    } as unknown as Store;

    const output = await createHealthOperator({ adapters: {} }).execute(context({}, broken));

    expect(output.checks).toEqual([
      expect.objectContaining({ name: 'store', state: 'down', error: 'database is locked' }),
    ]);
  });
});

const redisUp = await isRedisUp();
const postgresUp = await isPostgresUp();

describe('a round', () => {
  it('has every check in flight at once, each kind included', async () => {
    // HTTP answers, Redis's and PostgreSQL's first bytes, and the TCP accept all wait at one
    // barrier: checks run one after another would stall at the first and time out.
    const httpChecks = 4;
    const total = httpChecks + 1 + (redisUp ? 1 : 0) + (postgresUp ? 1 : 0);
    gate = barrier(total);
    const tcp = createServer(() => void gate?.arrive());
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const redisProxy = redisUp
      ? await startTcpProxy('127.0.0.1', 6379, () => gate!.arrive())
      : undefined;
    const pgProxy = postgresUp
      ? await startTcpProxy('127.0.0.1', 5432, () => gate!.arrive())
      : undefined;
    const store = storeAt('parallel');
    try {
      const checks: NonNullable<AppConfigInput['health']>['checks'] = [
        ...Array.from({ length: httpChecks }, (_, i) => ({
          type: 'http' as const,
          name: `web${i}`,
          url: `${server.base}/gated/${i}`,
        })),
        { type: 'tcp', name: 'tcp', host: '127.0.0.1', port: (tcp.address() as AddressInfo).port },
        ...(redisProxy
          ? [{ type: 'redis' as const, name: 'redis', url: `redis://127.0.0.1:${redisProxy.port}` }]
          : []),
        ...(pgProxy
          ? [
              {
                type: 'sql' as const,
                name: 'pg',
                url: `postgres://postgres@127.0.0.1:${pgProxy.port}/postgres`,
              },
            ]
          : []),
      ];

      const output = await createHealthOperator({ adapters: {} }).execute(
        context({ health: { timeoutMs: 3_000, checks } }, store),
      );

      expect(gate.arrived).toBe(total);
      expect(
        output.checks.filter((check) => check.kind === 'check').map((c) => [c.name, c.ok]),
      ).toEqual(checks.map((check) => [check.name, true]));
    } finally {
      gate = undefined;
      store.close();
      tcp.close();
      await redisProxy?.cut();
      await pgProxy?.cut();
    }
  });
});

describe('across runs', () => {
  it('takes a service down after the failure threshold and back up after the success threshold', async () => {
    const path = '/flaky';
    const states: string[] = [];
    const operator = createHealthOperator({ adapters: {} });
    const config: AppConfigInput = {
      health: {
        failureThreshold: 2,
        successThreshold: 2,
        checks: [{ type: 'http', name: 'flaky', url: `${server.base}${path}` }],
      },
    };

    for (const isFailing of [false, true, true, false, false]) {
      if (isFailing) failing.add(path);
      else failing.delete(path);
      const store = storeAt('thresholds');
      const output = await operator.execute(context(config, store));
      store.close();
      const check = output.checks.find((c) => c.name === 'flaky')!;
      states.push(`${check.ok ? 'ok' : 'fail'}->${check.state}`);
    }

    expect(states).toEqual(['ok->up', 'fail->up', 'fail->down', 'ok->down', 'ok->up']);
  });

  it('stops probing a dead service once its breaker opens, even in a new run', async () => {
    const path = '/dead';
    failing.add(path);
    const operator = createHealthOperator({ adapters: {} });
    const config: AppConfigInput = {
      health: {
        breakerThreshold: 2,
        breakerHalfOpenMs: '1h',
        checks: [{ type: 'http', name: 'dead', url: `${server.base}${path}` }],
      },
    };
    const runs = [];

    for (let run = 0; run < 4; run++) {
      const store = storeAt('breaker');
      runs.push(
        (await operator.execute(context(config, store))).checks.find((c) => c.name === 'dead')!,
      );
      store.close();
    }

    expect(hits.get(path)).toBe(2);
    expect(runs.map((check) => [check.state, check.breaker, check.isSkipped ?? false])).toEqual([
      ['down', 'closed', false],
      ['down', 'open', false],
      ['down', 'open', true],
      ['down', 'open', true],
    ]);
    expect(runs[3]?.error).toMatch(
      /^not probed: breaker open after repeated failures; next trial after /,
    );
  });
});
