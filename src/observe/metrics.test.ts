import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';
import type { HttpStats, OriginStats } from '../http/types.ts';
import { parsePrometheusText, type MetricFamily } from '../operators/metrics/prometheus.ts';
import { createFlywheelMetrics } from './metrics.ts';

function httpStats(
  requests: number,
  connections: number,
  detail: Partial<OriginStats> = {},
): HttpStats {
  return {
    requests,
    connections,
    bytesIn: 0,
    bytesOut: 0,
    retries: 0,
    waitMs: 0,
    errors: 0,
    reuseRatio: 1 - connections / requests,
    byOrigin: [
      {
        origin: 'https://a.example',
        requests,
        connections,
        bytesIn: 0,
        bytesOut: 0,
        retries: 0,
        waitMs: 0,
        errors: 0,
        rateLimitWaits: 0,
        rateLimitWaitMs: 0,
        circuitState: 'closed',
        circuitOpens: 0,
        circuitRejections: 0,
        ...detail,
      },
    ],
  };
}

async function families(): Promise<{ text: string; byName: Map<string, MetricFamily> }> {
  const metrics = createFlywheelMetrics();
  metrics.recordTask({ task: 'scrape', status: 'succeeded', durationMs: 1_500, peakRssBytes: 8e7 });
  metrics.recordTask({ task: 'health', status: 'failed', durationMs: null, peakRssBytes: null });
  metrics.recordHttp(httpStats(10, 2, { retries: 1, rateLimitWaits: 1, rateLimitWaitMs: 500 }));
  metrics.recordHttp(
    httpStats(25, 3, {
      retries: 4,
      errors: 1,
      bytesIn: 2_048,
      bytesOut: 10,
      waitMs: 2_250,
      rateLimitWaits: 2,
      rateLimitWaitMs: 1_500,
      circuitState: 'half-open',
      circuitOpens: 1,
      circuitRejections: 7,
    }),
  );
  metrics.recordCache('memory', { hits: 4, misses: 1 });
  metrics.recordCache('memory', { hits: 6, misses: 1 });

  const text = await metrics.registry.metrics();
  const result = parsePrometheusText(text);
  expect(result.errors).toEqual([]);
  return { text, byName: new Map(result.families.map((family) => [family.name, family])) };
}

describe('createFlywheelMetrics', () => {
  it('exposes every family with its type, read back by the Prometheus parser', async () => {
    const { byName } = await families();

    expect([...byName].map(([name, family]) => [name, family.type])).toEqual([
      ['flywheel_operator_duration_seconds', 'histogram'],
      ['flywheel_operator_peak_memory_bytes', 'gauge'],
      ['flywheel_http_requests_total', 'counter'],
      ['flywheel_http_connections_total', 'counter'],
      ['flywheel_http_connection_reuse_ratio', 'gauge'],
      ['flywheel_cache_requests_total', 'counter'],
      ['flywheel_health_up', 'gauge'],
      ['flywheel_health_check_latency_seconds', 'gauge'],
      ['flywheel_circuit_breaker_state', 'gauge'],
      ['flywheel_operator_regression', 'gauge'],
      ['flywheel_operator_history_change_ratio', 'gauge'],
      ['flywheel_http_retries_total', 'counter'],
      ['flywheel_http_errors_total', 'counter'],
      ['flywheel_http_bytes_total', 'counter'],
      ['flywheel_http_wait_seconds_total', 'counter'],
      ['flywheel_http_rate_limit_waits_total', 'counter'],
      ['flywheel_http_rate_limit_wait_seconds_total', 'counter'],
      ['flywheel_http_circuit_opens_total', 'counter'],
      ['flywheel_http_circuit_rejections_total', 'counter'],
    ]);
  });

  it('records per-origin retries, waits and circuit state', async () => {
    const { byName } = await families();
    const value = (name: string): number | undefined => byName.get(name)?.samples[0]?.value;
    const labelled = (name: string): Array<[string | undefined, number]> =>
      (byName.get(name)?.samples ?? []).map((s) => [s.labels.state ?? s.labels.direction, s.value]);

    expect(value('flywheel_http_retries_total')).toBe(4);
    expect(value('flywheel_http_errors_total')).toBe(1);
    expect(labelled('flywheel_http_bytes_total')).toEqual([
      ['in', 2_048],
      ['out', 10],
    ]);
    expect(value('flywheel_http_wait_seconds_total')).toBe(2.25);
    expect(value('flywheel_http_rate_limit_waits_total')).toBe(2);
    expect(value('flywheel_http_rate_limit_wait_seconds_total')).toBe(1.5);
    // One family for every breaker: an origin's is scope http, named by the origin.
    expect(
      byName
        .get('flywheel_circuit_breaker_state')
        ?.samples.map((s) => [s.labels.scope, s.labels.name, s.labels.state, s.value]),
    ).toEqual([
      ['http', 'https://a.example', 'closed', 0],
      ['http', 'https://a.example', 'half-open', 1],
      ['http', 'https://a.example', 'open', 0],
    ]);
    expect(value('flywheel_http_circuit_opens_total')).toBe(1);
    expect(value('flywheel_http_circuit_rejections_total')).toBe(7);
    expect(byName.get('flywheel_http_retries_total')?.samples[0]?.labels.origin).toBe(
      'https://a.example',
    );
  });

  it('records task durations and peak memory by operator', async () => {
    const { byName } = await families();
    const duration = byName.get('flywheel_operator_duration_seconds')!;
    const sum = duration.samples.find((s) => s.name === 'flywheel_operator_duration_seconds_sum');
    const count = duration.samples.find(
      (s) => s.name === 'flywheel_operator_duration_seconds_count',
    );

    expect(sum).toMatchObject({ labels: { operator: 'scrape', outcome: 'succeeded' }, value: 1.5 });
    expect(count?.value).toBe(1);
    expect(byName.get('flywheel_operator_peak_memory_bytes')?.samples).toMatchObject([
      { labels: { operator: 'scrape' }, value: 8e7 },
    ]);
  });

  it('adds only the growth of cumulative HTTP and cache snapshots', async () => {
    const { byName } = await families();

    expect(byName.get('flywheel_http_requests_total')?.samples[0]?.value).toBe(25);
    expect(byName.get('flywheel_http_connections_total')?.samples[0]?.value).toBe(3);
    expect(byName.get('flywheel_http_connection_reuse_ratio')?.samples[0]?.value).toBe(0.88);
    expect(
      byName.get('flywheel_cache_requests_total')?.samples.map((s) => [s.labels.result, s.value]),
    ).toEqual([
      ['hit', 6],
      ['miss', 1],
    ]);
  });

  it('flags regressions against history by operator and figure', async () => {
    const metrics = createFlywheelMetrics();
    metrics.recordHistory([
      {
        task: 'scrape',
        durationChange: 1,
        isDurationRegression: true,
        peakRssChange: 0.04,
        isMemoryRegression: false,
      },
    ]);
    metrics.recordHistory([
      {
        task: 'scrape',
        durationChange: null,
        isDurationRegression: false,
        peakRssChange: 0.5,
        isMemoryRegression: true,
      },
    ]);

    const result = parsePrometheusText(await metrics.registry.metrics());
    const byName = new Map(result.families.map((family) => [family.name, family]));
    const values = (name: string): Array<[string | undefined, number]> =>
      (byName.get(name)?.samples ?? []).map((s) => [s.labels.figure, s.value]);

    expect(result.errors).toEqual([]);
    expect(byName.get('flywheel_operator_regression')?.type).toBe('gauge');
    expect(values('flywheel_operator_regression')).toEqual([
      ['duration', 0],
      ['memory', 1],
    ]);
    // The duration change had no history the second time: its stale value is gone.
    expect(values('flywheel_operator_history_change_ratio')).toEqual([['memory', 0.5]]);
  });

  it('keeps two registries apart', async () => {
    const first = createFlywheelMetrics();
    const second = createFlywheelMetrics();
    first.recordCache('memory', { hits: 1, misses: 0 });

    expect(await second.registry.metrics()).not.toContain('tier="memory"');
  });
});

describe('docs/serve.md', () => {
  it('lists every family the registry exposes, and no other', async () => {
    const doc = readFileSync(new URL('../../docs/serve.md', import.meta.url), 'utf8');
    const table = doc.slice(doc.indexOf('## Metrics'));
    const documented = [...table.matchAll(/^\| `(flywheel_[a-z_]+)` \|/gm)].map((m) => m[1]);
    const metrics = createFlywheelMetrics();
    const registered = (await metrics.registry.getMetricsAsJSON()).map((family) => family.name);

    expect([...documented].sort()).toEqual([...registered].sort());
  });
});
