/** `flywheel serve` on a real socket, over a store that a real run against the simulator filled. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_CREDENTIALS } from '../../src/cli/demo.ts';
import { validateConfig } from '../../src/config/index.ts';
import type { AppConfig } from '../../src/config/schema.ts';
import type { RunReport } from '../../src/observe/report-types.ts';
import { parsePrometheusText } from '../../src/operators/metrics/prometheus.ts';
import { runFlywheel } from '../../src/pipeline/flywheel.ts';
import { startFlywheelServer, type FlywheelServer } from '../../src/server/index.ts';
import { startSimulator, type Simulator } from '../../src/sim/index.ts';

/** Every metric DESIGN.md names, plus the health and breaker families. */
const FLYWHEEL_FAMILIES = [
  'flywheel_operator_duration_seconds',
  'flywheel_operator_peak_memory_bytes',
  'flywheel_http_requests_total',
  'flywheel_http_connections_total',
  'flywheel_http_connection_reuse_ratio',
  'flywheel_http_rate_limit_wait_seconds_total',
  'flywheel_cache_requests_total',
  'flywheel_circuit_breaker_state',
  'flywheel_health_up',
  'flywheel_health_check_latency_seconds',
];

let dir: string;
let sim: Simulator;
let server: FlywheelServer;
let config: AppConfig;
let run: RunReport;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flywheel-serve-'));
  sim = await startSimulator({
    seed: 9,
    accounts: { bluesky: 1, mastodon: 1, reddit: 1, youtube: 1, hackernews: 1 },
    postsPerAccount: 10,
  });
  config = validateConfig({ ...sim.config(), store: { path: join(dir, 'store.sqlite') } });
  run = (await runFlywheel({ config, env: SIM_CREDENTIALS })).report;
  server = await startFlywheelServer({ config, port: 0, env: SIM_CREDENTIALS });
});

afterAll(async () => {
  await server.close();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('flywheel serve over a socket', () => {
  it('serves every Flywheel metric and the process metrics, parsed back by our own parser', async () => {
    const response = await fetch(`${server.url}/metrics`);
    const parsed = parsePrometheusText(await response.text());
    const names = new Set(parsed.families.map((family) => family.name));
    const samples = (name: string) =>
      parsed.families.find((family) => family.name === name)?.samples ?? [];

    expect(response.status).toBe(200);
    expect(parsed.errors).toEqual([]);
    expect(FLYWHEEL_FAMILIES.filter((name) => !names.has(name))).toEqual([]);
    expect(FLYWHEEL_FAMILIES.filter((name) => samples(name).length === 0)).toEqual([]);
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(names.has(name)).toBe(true);
    }
    const counted = samples('flywheel_operator_duration_seconds').filter(
      (sample) => sample.name === 'flywheel_operator_duration_seconds_count',
    );
    expect(counted.map((sample) => sample.labels.operator).sort()).toEqual(
      run.tasks.map((task) => task.name).sort(),
    );
    const requests = samples('flywheel_http_requests_total').reduce((sum, s) => sum + s.value, 0);
    expect(requests).toBe(run.http.requests);
    // The Reddit token exchange is a POST with a body: bytes went out, and /metrics says so.
    const bytes = (direction: string) =>
      samples('flywheel_http_bytes_total')
        .filter((sample) => sample.labels.direction === direction)
        .reduce((sum, sample) => sum + sample.value, 0);
    expect(run.http.bytesOut).toBeGreaterThan(0);
    expect(bytes('out')).toBe(run.http.bytesOut);
    expect(bytes('in')).toBe(run.http.bytesIn);
  });

  it('answers /healthz with the store and the simulated platforms up', async () => {
    const response = await fetch(`${server.url}/healthz`);
    const body = (await response.json()) as {
      status: string;
      checks: Array<{ name: string; state: string }>;
    };

    expect(response.status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.checks.find((check) => check.name === 'store')?.state).toBe('up');
    expect(body.checks.filter((check) => check.state !== 'up')).toEqual([]);
  });

  it('counts each run finished since the start once, however many scrapes see it', async () => {
    const scrapeCount = async (): Promise<number | undefined> => {
      const parsed = parsePrometheusText(await (await fetch(`${server.url}/metrics`)).text());
      return parsed.families
        .flatMap((family) => family.samples)
        .find(
          (s) =>
            s.name === 'flywheel_operator_duration_seconds_count' && s.labels.operator === 'scrape',
        )?.value;
    };
    const before = await scrapeCount();
    await runFlywheel({ config, env: SIM_CREDENTIALS });
    run = (await runFlywheel({ config, env: SIM_CREDENTIALS })).report;

    expect(before).toBe(1);
    expect(await scrapeCount()).toBe(3);
    expect(await scrapeCount()).toBe(3);
  });

  it('hands out the latest run report as JSON', async () => {
    const response = await fetch(`${server.url}/api/runs/latest`);

    expect(response.status).toBe(200);
    expect(((await response.json()) as RunReport).runId).toBe(run.runId);
  });
});
