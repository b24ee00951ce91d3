/** The server's routes in process, through Hono's request helper. */
import { describe, expect, it } from 'vitest';
import { createFlywheelMetrics } from '../observe/metrics.ts';
import type { RunReport } from '../observe/report-types.ts';
import type { CheckResult } from '../operators/health/checks.ts';
import { HealthMonitor } from '../operators/health/monitor.ts';
import type { HealthTarget } from '../operators/health/targets.ts';
import { parsePrometheusText } from '../operators/metrics/prometheus.ts';
import type { StoredReport } from '../store/types.ts';
import { EMPTY_SECTIONS } from '../../test/support/reports.ts';
import { createServerApp } from './app.ts';
import { createRunIngest } from './ingest.ts';

function target(name: string, ok: boolean, isCritical: boolean): HealthTarget {
  const result: CheckResult = ok ? { ok, latencyMs: 3 } : { ok, latencyMs: 3, error: 'status 503' };
  return {
    id: `service:${name}`,
    name,
    kind: name === 'store' ? 'store' : 'service',
    probe: 'http',
    target: `http://${name}`,
    isCritical,
    run: () => Promise.resolve(result),
  };
}

function report(runId: string): RunReport {
  return {
    ...EMPTY_SECTIONS,
    runId,
    status: 'succeeded',
    startedAt: '2024-01-01T00:00:00.000Z',
    finishedAt: '2024-01-01T00:00:02.000Z',
    durationMs: 2_000,
    profile: 'optimized',
    tasks: [
      {
        name: 'scrape',
        status: 'succeeded',
        attempts: 1,
        durationMs: 1_500,
        peakRssBytes: 90_000_000,
        requests: 10,
        connections: 1,
        reuseRatio: 0.9,
        bytesIn: 1_000,
        error: null,
      },
    ],
    http: {
      requests: 10,
      connections: 1,
      reuseRatio: 0.9,
      bytesIn: 1_000,
      retries: 0,
      byOrigin: [
        {
          origin: 'http://a',
          requests: 10,
          connections: 1,
          reuseRatio: 0.9,
          bytesIn: 1_000,
          bytesOut: 300,
          retries: 0,
          errors: 0,
          rateLimitWaits: 2,
          rateLimitWaitMs: 1_500,
          waitMs: 1_500,
          circuitState: 'closed',
          circuitOpens: 0,
          circuitRejections: 0,
        },
      ],
    },
    problems: [],
    history: [
      {
        task: 'scrape',
        runs: 5,
        durationMs: 1_500,
        medianDurationMs: 1_000,
        p99DurationMs: 1_100,
        durationChange: 0.5,
        isDurationRegression: true,
        peakRssBytes: 90_000_000,
        medianPeakRssBytes: 90_000_000,
        p99PeakRssBytes: 90_000_000,
        peakRssChange: 0,
        isMemoryRegression: false,
      },
    ],
    cache: {
      state: 'ok',
      tiers: [
        { tier: 'memory', hits: 3, misses: 2, errors: 0 },
        { tier: 'redis', hits: 1, misses: 1, errors: 0 },
      ],
    },
  };
}

async function setup(targets: HealthTarget[], stored: StoredReport | null = null) {
  const monitor = new HealthMonitor({
    targets,
    thresholds: { failures: 1, successes: 1 },
    breaker: { threshold: 10, halfOpenMs: 1_000, maxHalfOpenMs: 1_000 },
    intervalMs: 1_000,
    downIntervalMs: 1_000,
  });
  await monitor.round();
  const metrics = createFlywheelMetrics();
  const ingest = createRunIngest(metrics);
  let latest = stored;
  const app = createServerApp({
    registry: metrics.registry,
    refresh: () => {
      if (latest !== null) ingest.ingest(JSON.parse(latest.reportJson) as RunReport);
      metrics.recordHealth(monitor.checks());
    },
    health: () => ({ checks: monitor.checks(), checkedAt: '2024-01-01T00:00:00.000Z' }),
    latestReport: () => latest,
  });
  return { app, ingest, setLatest: (next: StoredReport) => (latest = next) };
}

function stored(runId: string): StoredReport {
  return {
    runId,
    status: 'succeeded',
    finishedAt: '2024-01-01T00:00:02.000Z',
    reportJson: JSON.stringify(report(runId)),
  };
}

describe('GET /healthz', () => {
  it('answers 200 ok when every target is up', async () => {
    const { app } = await setup([target('store', true, true), target('api', true, false)]);

    const response = await app.request('/healthz');

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { status: string; checks: unknown[] };
    expect(body.status).toBe('ok');
    expect(body.checks).toEqual([
      expect.objectContaining({ name: 'store', state: 'up', critical: true, breaker: 'closed' }),
      expect.objectContaining({ name: 'api', state: 'up', critical: false }),
    ]);
  });

  it('answers 200 degraded when only a non-critical target is down', async () => {
    const { app } = await setup([target('store', true, true), target('api', false, false)]);

    const response = await app.request('/healthz');

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'degraded',
      checks: [{ name: 'store' }, { name: 'api', state: 'down', error: 'status 503' }],
    });
  });

  it('answers 503 down when a critical target is down', async () => {
    const { app } = await setup([target('store', false, true), target('api', true, false)]);

    const response = await app.request('/healthz');

    expect(response.status).toBe(503);
    expect(((await response.json()) as { status: string }).status).toBe('down');
  });
});

describe('GET /api/runs/latest', () => {
  it('answers 404 before any run, then the stored report', async () => {
    const { app, setLatest } = await setup([]);

    const before = await app.request('/api/runs/latest');
    setLatest(stored('run-7'));
    const after = await app.request('/api/runs/latest');

    expect(before.status).toBe(404);
    expect(await before.json()).toEqual({ error: 'no finished run in the store yet' });
    expect(after.status).toBe(200);
    expect(after.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(((await after.json()) as RunReport).runId).toBe('run-7');
  });
});

describe('GET /metrics', () => {
  it('renders the stored run and the health targets as Prometheus text that parses back', async () => {
    const { app } = await setup([target('store', true, true)], stored('run-1'));

    const response = await app.request('/metrics');
    const text = await response.text();
    const parsed = parsePrometheusText(text);
    const family = (name: string) => parsed.families.find((f) => f.name === name);
    const value = (name: string, labels: Record<string, string>) =>
      parsed.families
        .flatMap((f) => f.samples)
        .find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
        ?.value;

    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(parsed.errors).toEqual([]);
    expect(family('flywheel_operator_duration_seconds')?.type).toBe('histogram');
    expect(
      value('flywheel_operator_duration_seconds_count', {
        operator: 'scrape',
        outcome: 'succeeded',
      }),
    ).toBe(1);
    expect(value('flywheel_operator_duration_seconds_sum', { operator: 'scrape' })).toBe(1.5);
    expect(value('flywheel_operator_peak_memory_bytes', { operator: 'scrape' })).toBe(90_000_000);
    expect(value('flywheel_http_requests_total', { origin: 'http://a' })).toBe(10);
    expect(value('flywheel_http_connections_total', { origin: 'http://a' })).toBe(1);
    expect(value('flywheel_http_connection_reuse_ratio', {})).toBe(0.9);
    expect(value('flywheel_http_rate_limit_wait_seconds_total', { origin: 'http://a' })).toBe(1.5);
    expect(value('flywheel_cache_requests_total', { tier: 'memory', result: 'hit' })).toBe(3);
    expect(value('flywheel_cache_requests_total', { tier: 'redis', result: 'miss' })).toBe(1);
    expect(value('flywheel_health_up', { target: 'store', kind: 'store' })).toBe(1);
    expect(value('flywheel_circuit_breaker_state', { name: 'store:store', state: 'closed' })).toBe(
      1,
    );
    expect(value('flywheel_circuit_breaker_state', { name: 'store:store', state: 'open' })).toBe(0);
    expect(value('flywheel_operator_regression', { operator: 'scrape', figure: 'duration' })).toBe(
      1,
    );
    expect(value('flywheel_operator_regression', { operator: 'scrape', figure: 'memory' })).toBe(0);
    expect(
      value('flywheel_operator_history_change_ratio', { operator: 'scrape', figure: 'duration' }),
    ).toBe(0.5);
  });

  it('counts a run once however often /metrics is scraped, and the next run on top', async () => {
    const { app, ingest, setLatest } = await setup([], stored('run-1'));

    await app.request('/metrics');
    await app.request('/metrics');
    setLatest(stored('run-2'));
    const parsed = parsePrometheusText(await (await app.request('/metrics')).text());
    const count = parsed.families
      .flatMap((f) => f.samples)
      .find((s) => s.name === 'flywheel_operator_duration_seconds_count')?.value;
    const requests = parsed.families
      .flatMap((f) => f.samples)
      .find((s) => s.name === 'flywheel_http_requests_total')?.value;

    expect(ingest.runs).toBe(2);
    expect(count).toBe(2);
    expect(requests).toBe(20);
  });

  it('adds up the bytes sent per origin, counting none for reports older than bytesOut', async () => {
    const older = report('run-0');
    delete older.http.byOrigin![0]!.bytesOut;
    const { app, setLatest } = await setup([], {
      ...stored('run-0'),
      reportJson: JSON.stringify(older),
    });

    await app.request('/metrics');
    setLatest(stored('run-1'));
    await app.request('/metrics');
    setLatest(stored('run-2'));
    const parsed = parsePrometheusText(await (await app.request('/metrics')).text());
    const bytes = (direction: string) =>
      parsed.families
        .flatMap((f) => f.samples)
        .find(
          (s) =>
            s.name === 'flywheel_http_bytes_total' &&
            s.labels.direction === direction &&
            s.labels.origin === 'http://a',
        )?.value;

    expect(bytes('out')).toBe(600);
    expect(bytes('in')).toBe(3_000);
  });
});

describe('other routes', () => {
  it('answers 404 with the routes there are', async () => {
    const { app } = await setup([]);

    const response = await app.request('/nope');

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: 'no route GET /nope; try /metrics, /healthz or /api/runs/latest',
    });
  });
});
