/** A run whose platform is down: the scrape skips it and the report says why. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_CREDENTIALS } from '../../src/cli/demo.ts';
import { validateConfig } from '../../src/config/index.ts';
import { runFlywheel } from '../../src/pipeline/flywheel.ts';
import { startSimulator, type Simulator } from '../../src/sim/index.ts';
import { closedPort } from '../support/tcp-proxy.ts';

let dir: string;
let sim: Simulator;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flywheel-health-run-'));
  sim = await startSimulator({
    seed: 5,
    accounts: { bluesky: 1, mastodon: 1, reddit: 0, youtube: 0, hackernews: 0 },
    postsPerAccount: 8,
  });
});

afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a platform found down', () => {
  it('is skipped by the scrape with the health check reason, and the rest runs', async () => {
    const port = await closedPort();
    const base = sim.config();
    const config = validateConfig({
      ...base,
      platforms: { ...base.platforms, mastodon: { baseUrl: `http://127.0.0.1:${port}` } },
      store: { path: join(dir, 'run.sqlite') },
      health: { timeoutMs: 2_000 },
    });

    const { report } = await runFlywheel({ config, env: SIM_CREDENTIALS });

    const mastodon = report.posts.byAccount.find((account) => account.platform === 'mastodon');
    const bluesky = report.posts.byAccount.find((account) => account.platform === 'bluesky');
    expect(mastodon?.status).toBe('skipped');
    expect(mastodon?.error).toMatch(/^mastodon is down \(health: .+ since \d{4}-\d\d-\d\dT/);
    expect(bluesky?.status).toBe('ok');
    expect(report.health.find((check) => check.name === 'mastodon')).toMatchObject({
      state: 'down',
      ok: false,
    });
    expect(report.problems.some((problem) => problem.startsWith('platform mastodon down:'))).toBe(
      true,
    );
  });
});
