/**
 * A whole scrape through a misbehaving server: the simulator's Mastodon and Bluesky behind a
 * proxy that resets, truncates, stalls, bursts 5xx, storms 429 and closes connections on a seeded
 * share of requests. The scrape must store exactly what a clean scrape stores, leave nothing
 * running at the server, and raise no unhandled rejection.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SIM_CREDENTIALS } from '../../src/cli/demo.ts';
import { validateConfig } from '../../src/config/load.ts';
import type { AppConfigInput } from '../../src/config/schema.ts';
import {
  retryAfterValue,
  startFaultServer,
  type Fault,
  type FaultServer,
  type RetryAfterForm,
} from '../../src/http/testing/index.ts';
import { runFlywheel, type RunOutcome } from '../../src/pipeline/flywheel.ts';
import { startSimulator, type Simulator } from '../../src/sim/index.ts';
import { createRng } from '../../src/stats/random.ts';
import { openSqliteStore } from '../../src/store/index.ts';

const FORMS: RetryAfterForm[] = ['seconds', 'imf-fixdate', 'rfc850', 'asctime'];

/** One draw per request, in arrival order, from a seeded stream: about 35% misbehave. */
function faultPlan(seed: number): () => Fault | undefined {
  const random = createRng(seed);
  let storms = 0;
  return () => {
    const draw = random();
    if (draw < 0.08) return { kind: 'status', status: 502 + Math.floor(random() * 3) };
    if (draw < 0.12) {
      const form = FORMS[storms++ % FORMS.length]!;
      const wait = form === 'seconds' ? '0' : retryAfterValue(form, 1);
      return { kind: 'status', status: 429, headers: { 'retry-after': wait } };
    }
    if (draw < 0.16) return { kind: 'reset' };
    if (draw < 0.2) return { kind: 'reset-mid-body' };
    if (draw < 0.24) return { kind: 'truncate' };
    if (draw < 0.27) return { kind: 'stall-headers', ms: 1_000 };
    if (draw < 0.3) return { kind: 'stall-body', ms: 1_000 };
    if (draw < 0.35) return { kind: 'close' };
    return undefined;
  };
}

function scrapeConfig(origin: string, sim: Simulator, storePath: string): AppConfigInput {
  const { platforms, accounts } = sim.config();
  return {
    platforms: {
      ...platforms,
      // Small pages: more requests, so every kind of fault turns up.
      mastodon: { baseUrl: `${origin}/mastodon`, pageSize: 10 },
      bluesky: { baseUrl: `${origin}/bluesky`, pageSize: 10 },
    },
    accounts,
    store: { path: storePath },
    scrape: { concurrency: 4, maxPages: 50 },
    tasks: { maxAttempts: 1 },
    http: {
      timeoutMs: 250,
      deadlineMs: 20_000,
      maxAttempts: 10,
      backoffBaseMs: 5,
      maxWaitMs: 40,
      // The faults are many but passing; this test is about the retries, not the breaker.
      breaker: { consecutiveFailures: 50, failureRatio: 0 },
    },
  };
}

function storedIds(path: string): string[] {
  const store = openSqliteStore(path);
  try {
    return store
      .listPosts()
      .map((post) => `${post.platform}:${post.postId}`)
      .sort();
  } finally {
    store.close();
  }
}

describe('a scrape through a misbehaving server', () => {
  let dir: string;
  let sim: Simulator;
  let proxy: FaultServer;
  let upstream: Agent;
  let clean: RunOutcome;
  let faulty: RunOutcome;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => void rejections.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    dir = await mkdtemp(join(tmpdir(), 'flywheel-faults-'));
    sim = await startSimulator({
      seed: 11,
      accounts: { mastodon: 5, bluesky: 5, reddit: 0, youtube: 0, hackernews: 0 },
      postsPerAccount: 90,
    });
    upstream = new Agent({ connections: 8 });
    const plan = faultPlan(20_260_101);
    proxy = await startFaultServer({
      lifetimeMs: 100_000,
      fault: () => plan(),
      handler: async ({ method, path, query }) => {
        const search = query.size === 0 ? '' : `?${query.toString()}`;
        const answer = await request(`${sim.url}${path}${search}`, {
          method: method as 'GET',
          dispatcher: upstream,
        });
        const body = Buffer.from(await answer.body.arrayBuffer());
        const headers: Record<string, string> = {};
        for (const name of ['content-type', 'link']) {
          const value = answer.headers[name];
          if (typeof value === 'string') headers[name] = value;
        }
        return { status: answer.statusCode, headers, body };
      },
    });

    const run = (origin: string, file: string) =>
      runFlywheel({
        config: validateConfig(scrapeConfig(origin, sim, join(dir, file)), 'fault test'),
        env: SIM_CREDENTIALS,
        only: ['scrape'],
      });
    clean = await run(sim.url, 'clean.sqlite');
    faulty = await run(proxy.origin, 'faulty.sqlite');
  });

  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await proxy.close();
    await upstream.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('met every kind of fault on the way', () => {
    const faults = proxy.stats().faults;

    expect(Object.keys(faults).sort()).toEqual([
      'close',
      'reset',
      'reset-mid-body',
      'stall-body',
      'stall-headers',
      'status',
      'truncate',
    ]);
    expect(faulty.report.http.retries).toBeGreaterThan(20);
  });

  it('completes every account', () => {
    expect(faulty.report.tasks.map((task) => task.status)).toEqual(['succeeded']);
    expect(faulty.report.posts.byAccount.map((account) => account.status)).toEqual(
      Array.from({ length: 10 }, () => 'ok'),
    );
    expect(faulty.report.problems).toEqual([]);
  });

  it('stores exactly the posts of a clean scrape, none lost, none twice', () => {
    const expected = storedIds(join(dir, 'clean.sqlite'));
    const seen = faulty.report.posts.byAccount.reduce((sum, account) => sum + account.posts, 0);

    expect(expected).toHaveLength(10 * 90);
    expect(storedIds(join(dir, 'faulty.sqlite'))).toEqual(expected);
    expect(faulty.report.posts.new).toBe(expected.length);
    // A page read twice would count its posts twice here.
    expect(seen).toBe(expected.length);
    expect(faulty.report.posts.pages).toBe(clean.report.posts.pages);
  });

  it('leaves nothing running at the server and raises no unhandled rejection', async () => {
    for (let turn = 0; turn < 500 && proxy.stats().inFlight > 0; turn++) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }

    expect(proxy.stats().inFlight).toBe(0);
    expect(rejections).toEqual([]);
  });
});

describe('a scrape of a platform that is down', () => {
  it('opens the circuit, fails fast, and says so in the report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flywheel-down-'));
    const down = await startFaultServer({
      lifetimeMs: 30_000,
      fault: () => ({ kind: 'status', status: 503, body: 'maintenance' }),
    });
    try {
      const config = validateConfig(
        {
          platforms: { mastodon: { baseUrl: `${down.origin}/mastodon` } },
          accounts: ['1', '2', '3', '4', '5', '6'].map((id) => ({ platform: 'mastodon', id })),
          store: { path: join(dir, 'down.sqlite') },
          scrape: { concurrency: 1 },
          tasks: { maxAttempts: 1 },
          http: {
            maxAttempts: 2,
            backoffBaseMs: 1,
            breaker: { consecutiveFailures: 3, failureRatio: 0, halfOpenAfterMs: '1h' },
          },
        },
        'down test',
      );
      const { report } = await runFlywheel({ config, env: {}, only: ['scrape'] });
      const origin = report.http.byOrigin?.find((entry) => entry.origin === down.origin);

      // Account 1 spends its 2 attempts; account 2's first is the third failure in a row, which
      // opens the circuit: its retry and accounts 3 to 6 are refused without a request.
      expect(down.stats().requests).toBe(3);
      expect(origin).toMatchObject({ circuitState: 'open', circuitOpens: 1, requests: 3 });
      expect(origin?.circuitRejections).toBe(5);
      expect(report.posts.byAccount.map((account) => account.status)).toEqual(
        Array.from({ length: 6 }, () => 'failed'),
      );
      expect(report.problems).toContain(
        `circuit for ${down.origin} opened 1 time and refused 5 attempts; it is open now`,
      );
    } finally {
      await down.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
