/** A whole run against the simulator with each cache set-up: memory, memory + Redis, Redis down, none. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_CREDENTIALS } from '../../src/cli/demo.ts';
import { validateConfig } from '../../src/config/index.ts';
import { runFlywheel } from '../../src/pipeline/flywheel.ts';
import { startSimulator, type Simulator } from '../../src/sim/index.ts';
import { cleanUp, freshPrefix, inspector, isRedisUp, REDIS_URL } from '../support/redis.ts';
import { closedPort } from '../support/tcp-proxy.ts';

const redisUp = await isRedisUp();

let dir: string;
let sim: Simulator;
let runs = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flywheel-cache-run-'));
  sim = await startSimulator({
    seed: 3,
    accounts: { bluesky: 1, mastodon: 1, reddit: 1, youtube: 1, hackernews: 1 },
    postsPerAccount: 10,
  });
});

afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

async function run(cache: Record<string, unknown>, profile = 'optimized') {
  runs += 1;
  const config = validateConfig({
    ...sim.config(),
    profile,
    store: { path: join(dir, `run-${runs}.sqlite`) },
    thompson: { seed: 3 },
    cache,
  });
  return (await runFlywheel({ config, env: SIM_CREDENTIALS })).report;
}

describe('the cache in a run', () => {
  it('uses the memory tier alone by default', async () => {
    const report = await run({});

    expect(report.status).toBe('succeeded');
    expect(report.cache?.state).toBe('ok');
    expect(report.cache?.tiers.map((tier) => tier.tier)).toEqual(['memory']);
    expect(report.cache?.tiers[0]?.misses).toBeGreaterThan(0);
  });

  it('reports degraded, not failed, when the Redis tier is unreachable', async () => {
    const port = await closedPort();
    const report = await run({ redisUrl: `redis://:hunter2@127.0.0.1:${port}` });

    expect(report.status).toBe('degraded');
    expect(report.tasks.every((task) => task.status === 'succeeded')).toBe(true);
    expect(report.cache?.state).toBe('degraded');
    expect(report.problems.some((problem) => problem.startsWith('cache: redis tier failing'))).toBe(
      true,
    );
    expect(JSON.stringify(report)).not.toContain('hunter2');
  });

  it('turns the cache off in the naive profile', async () => {
    const report = await run({}, 'naive');

    expect(report.cache).toEqual({ state: 'off', tiers: [] });
  });

  const redisTitle = redisUp
    ? 'counts the Redis tier when Redis is up'
    : `counts the Redis tier when Redis is up (skipped: no Redis answers at ${REDIS_URL})`;
  it.skipIf(!redisUp)(redisTitle, async () => {
    const prefix = freshPrefix('run');
    const client = inspector();
    try {
      const first = await run({ redisUrl: REDIS_URL, prefix });
      const second = await run({ redisUrl: REDIS_URL, prefix });

      expect(first.status).toBe('succeeded');
      expect(first.cache?.tiers.map((tier) => tier.tier)).toEqual(['memory', 'redis']);
      // The second run's fresh memory misses, and Redis answers what the first run stored.
      const redis = second.cache?.tiers[1];
      expect(redis?.hits).toBeGreaterThan(0);
      expect(redis?.errors).toBe(0);
    } finally {
      await cleanUp(client, prefix);
      client.disconnect();
    }
  });
});
