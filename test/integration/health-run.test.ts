/** A run whose platform is down: the scrape skips it and the report says why. */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_CREDENTIALS } from '../../src/cli/demo.ts';
import { validateConfig } from '../../src/config/index.ts';
import { runFlywheel } from '../../src/pipeline/flywheel.ts';
import { openSqliteStore } from '../../src/store/index.ts';
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

describe('secrets in the URLs of health and metrics targets', () => {
  it('never reach the report, the task outputs or the store', async () => {
    const port = await closedPort();
    const base = sim.config();
    const secretUrl = (path: string) =>
      `${sim.url.replace('//', '//ops:hunter2@')}${path}?token=s3cret-tok&x=1`;
    const storePath = join(dir, 'secrets.sqlite');
    const config = validateConfig({
      ...base,
      services: [
        {
          name: 'api',
          healthUrl: secretUrl('/services/api/healthz'),
          metricsUrl: secretUrl('/services/api/metrics'),
        },
      ],
      health: {
        timeoutMs: 2_000,
        checks: [
          { type: 'http', name: 'admin', url: secretUrl('/services/api/healthz') },
          {
            type: 'sql',
            name: 'warehouse',
            url: `postgres://flywheel:hunter2@127.0.0.1:${port}/db?password=s3cret-tok`,
          },
        ],
      },
      store: { path: storePath },
    });

    const { report } = await runFlywheel({ config, env: SIM_CREDENTIALS });

    expect(report.health.find((check) => check.name === 'admin')?.state).toBe('up');
    const store = openSqliteStore(storePath);
    const health = store.latestTaskOutput('health');
    const metrics = store.latestTaskOutput('metrics');
    store.close();
    const targets = (JSON.parse(health?.output ?? '{}') as { checks: { target: string }[] }).checks;
    const safe = `${sim.url}/services/api/healthz?token=***&x=1`;
    expect(targets.map((check) => check.target)).toContain(safe);
    expect(targets.map((check) => check.target)).toContain(
      `postgres://flywheel:***@127.0.0.1:${port}/db?password=***`,
    );
    expect(metrics?.output).toContain(`${sim.url}/services/api/metrics?token=***&x=1`);
    // Everything written: the report, and every byte of the SQLite files.
    const written = [JSON.stringify(report)];
    for (const file of [storePath, `${storePath}-wal`]) {
      if (existsSync(file)) written.push(readFileSync(file).toString('latin1'));
    }
    for (const text of written) {
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('s3cret-tok');
    }
  });
});
