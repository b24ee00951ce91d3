import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dataPath, hasData, SKIP_NOTE } from '../../../test/support/data.ts';
import { createMemoryCache } from '../../cache/index.ts';
import { configSchema, type AppConfigInput } from '../../config/schema.ts';
import { createHttpClient } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';
import { silentLogger } from '../../observe/logger.ts';
import type { Cache, TaskContext } from '../../pipeline/types.ts';
import { openSqliteStore, type SqliteStore } from '../../store/index.ts';
import type { TaskRunRecord } from '../../store/types.ts';
import { createMetricsOperator } from './collector.ts';

const CRAFTED = [
  '# TYPE rpc_seconds histogram',
  'rpc_seconds_bucket{le="0.1"} 2',
  'rpc_seconds_bucket{le="1"} 6',
  'rpc_seconds_bucket{le="+Inf"} 8',
  'rpc_seconds_sum 4',
  'rpc_seconds_count 8',
  '# TYPE up gauge',
  'up 1',
  'broken{ 1',
].join('\n');

const STATS_JSON = JSON.stringify({
  name: 'jvm.memory.used',
  measurements: [{ statistic: 'VALUE', value: 1.25e8 }],
  queues: [{ depth: 3 }, { depth: '7' }, { depth: 'deep' }],
  'cache.hit.ratio': 0.75,
  isPrimary: true,
});

const prom = (path: string): string =>
  readFileSync(dataPath(`prometheus-exposition/${path}`), 'utf8');

let server: Server;
let base = '';
let http: HttpClient;
let store: SqliteStore;
const hits = new Map<string, number>();
let connections = 0;
let inFlight = 0;
let maxInFlight = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => {
      inFlight -= 1;
    });
    // A little latency so that concurrent collections overlap.
    const send = (body: string, type = 'text/plain; version=0.0.4'): void => {
      setTimeout(() => res.writeHead(200, { 'content-type': type }).end(body), 20);
    };

    if (path === '/crafted' || path.startsWith('/same-origin/')) send(CRAFTED);
    else if (path === '/alltypes') send(prom('alltypes.237mfs.prom.txt'));
    else if (path === '/promtool') send(prom('metrics-test.prom'));
    else if (path === '/openmetrics') {
      send(
        '# TYPE jobs counter\njobs_total 3\njobs_created 1.7e9\n# EOF\n',
        'application/openmetrics-text; version=1.0.0; charset=utf-8',
      );
    } else if (path === '/stats.json') send(STATS_JSON, 'application/json');
    else if (path === '/actuator-health') {
      send(
        readFileSync(dataPath('health-checks/camunda-issue-40377-actuator-health.json'), 'utf8'),
        'application/json',
      );
    } else if (path === '/html') send('<html>\n</html>', 'text/html');
    else res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
  });
  server.on('connection', () => {
    connections += 1;
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

beforeEach(() => {
  hits.clear();
  store = openSqliteStore(':memory:');
});

afterEach(() => {
  store.close();
});

function makeContext(config: AppConfigInput, cache: Cache = createMemoryCache()): TaskContext {
  return {
    runId: 'run-now',
    task: 'metrics',
    attempt: 1,
    config: configSchema.parse(config),
    logger: silentLogger,
    store,
    http,
    cache,
    signal: new AbortController().signal,
    now: () => new Date('2024-01-01T00:00:00Z'),
    inputs: {},
    downPlatforms: new Set(),
    progress: () => undefined,
  };
}

const service = (name: string, path: string): { name: string; metricsUrl: string } => ({
  name,
  metricsUrl: `${base}${path}`,
});

describe.skipIf(!hasData)(`real expositions${SKIP_NOTE}`, () => {
  it('collects the Prometheus server scrape as 237 families and 1,857 samples', async () => {
    const output = await createMetricsOperator().execute(
      makeContext({ services: [service('prometheus', '/alltypes')] }),
    );

    expect(output.services).toHaveLength(1);
    expect(output.services[0]).toMatchObject({
      name: 'prometheus',
      kind: 'prometheus',
      ok: true,
      families: 237,
      samples: 1857,
      errors: [],
      isCached: false,
    });
    expect(output.services[0]?.topFamilies).toHaveLength(10);
  });

  it('gives histogram quantiles by histogram_quantile and summary means', async () => {
    const output = await createMetricsOperator({ topFamilies: 2 }).execute(
      makeContext({ services: [service('promtool', '/promtool')] }),
    );

    const [chunks, gc] = output.services[0]?.topFamilies ?? [];
    expect(chunks).toMatchObject({
      name: 'prometheus_tsdb_compaction_chunk_size_bytes',
      type: 'histogram',
      samples: 15,
      series: 1,
    });
    // 13,867 observations; p50 is rank 6,933.5, in (243, 364.5] which holds 5,721..10,493:
    // 243 + 121.5 * (6933.5 - 5721) / (10493 - 5721).
    expect(chunks?.histogram?.observations).toBe(13_867);
    expect(chunks?.histogram?.sum).toBe(3_886_707);
    expect(chunks?.histogram?.p50).toBeCloseTo(273.8714899413244, 9);
    expect(chunks?.histogram?.p90).toBeCloseTo(552.3905221518991, 9);
    expect(chunks?.histogram?.p95).toBeCloseTo(792.3203401898733, 9);
    expect(chunks?.histogram?.p99).toBeCloseTo(1398.792169976635, 9);
    // The one series' mean observation: sum / count.
    expect(chunks?.summary).toMatchObject({ count: 1, mean: 3_886_707 / 13_867 });

    expect(gc).toMatchObject({ name: 'go_gc_duration_seconds', type: 'summary', histogram: null });
    expect(gc?.summary.mean).toBe(0.036134048 / 232);
  });

  it('reads JSON paths from a real Actuator health body and names what is not a number', async () => {
    const output = await createMetricsOperator().execute(
      makeContext({
        services: [
          {
            name: 'camunda',
            jsonUrl: `${base}/actuator-health`,
            jsonMetrics: { status: 'status', groups: 'groups[*]' },
          },
        ],
      }),
    );

    expect(output.services[0]).toMatchObject({ kind: 'json', ok: false, families: 2, samples: 0 });
    expect(output.services[0]?.errors).toEqual([
      'status (status): $.status: expected a number, found the string "UP"',
      'groups (groups[*]): $.groups[0]: expected a number, found the string "readiness"',
      'groups (groups[*]): $.groups[1]: expected a number, found the string "startup"',
      'groups (groups[*]): $.groups[2]: expected a number, found the string "status"',
    ]);
  });
});

describe('createMetricsOperator', () => {
  it('makes one request for two concurrent collections of one target', async () => {
    const operator = createMetricsOperator();
    const cache = createMemoryCache();
    const config = { services: [service('a', '/crafted'), service('b', '/crafted')] };

    const [first, second] = await Promise.all([
      operator.execute(makeContext(config, cache)),
      operator.execute(makeContext(config, cache)),
    ]);

    expect(hits.get('/crafted')).toBe(1);
    const all = [...first.services, ...second.services];
    expect(all.map((s) => [s.name, s.ok, s.families, s.samples])).toEqual([
      ['a', true, 2, 6],
      ['b', true, 2, 6],
      ['a', true, 2, 6],
      ['b', true, 2, 6],
    ]);
    expect(all.filter((s) => !s.isCached)).toHaveLength(1);
  });

  it('makes one request when the cache does not de-duplicate', async () => {
    const passThrough: Cache = {
      getOrSet: (_key, _ttl, factory) => factory(),
      get: () => Promise.resolve(undefined),
      set: () => Promise.resolve(),
      stats: () => ({ hits: 0, misses: 0 }),
    };
    const operator = createMetricsOperator();
    const config = { services: [service('a', '/crafted')] };

    await Promise.all([
      operator.execute(makeContext(config, passThrough)),
      operator.execute(makeContext(config, passThrough)),
    ]);

    expect(hits.get('/crafted')).toBe(1);
  });

  it('collects all targets at once over pooled connections', async () => {
    const paths = ['/same-origin/1', '/same-origin/2', '/same-origin/3', '/same-origin/4'];
    const config = {
      services: paths.map((path, i) => service(`s${i}`, path)),
      metrics: { cacheTtlMs: 0 },
    };
    const operator = createMetricsOperator();
    // A client of its own, so no idle connection of another test is reused.
    const pooled = createHttpClient({ maxAttempts: 1 });
    const before = connections;
    maxInFlight = 0;

    try {
      const first = await operator.execute({ ...makeContext(config), http: pooled });
      const afterFirst = connections;
      const second = await operator.execute({ ...makeContext(config), http: pooled });

      expect(first.services.every((s) => s.ok)).toBe(true);
      expect(paths.map((path) => hits.get(path))).toEqual([2, 2, 2, 2]);
      // Four requests at once open four connections; the second round reuses them all.
      expect(afterFirst - before).toBe(4);
      expect(connections).toBe(afterFirst);
      expect(second.run.http).toMatchObject({ requests: 8, connections: 4 });
      expect(maxInFlight).toBe(4);
    } finally {
      await pooled.close();
    }
  });

  it('collects one target at a time in the naive profile', async () => {
    const paths = ['/same-origin/n1', '/same-origin/n2', '/same-origin/n3'];
    const config = {
      profile: 'naive' as const,
      services: paths.map((path, i) => service(`n${i}`, path)),
      metrics: { cacheTtlMs: 0 },
    };
    maxInFlight = 0;

    const output = await createMetricsOperator().execute(makeContext(config));

    expect(output.services.map((s) => [s.name, s.ok])).toEqual([
      ['n0', true],
      ['n1', true],
      ['n2', true],
    ]);
    expect(paths.map((path) => hits.get(path))).toEqual([1, 1, 1]);
    expect(maxInFlight).toBe(1);
  });

  it('answers from the cache within the TTL', async () => {
    const operator = createMetricsOperator();
    const cache = createMemoryCache();
    const config = { services: [service('a', '/crafted')] };

    await operator.execute(makeContext(config, cache));
    const again = await operator.execute(makeContext(config, cache));

    expect(hits.get('/crafted')).toBe(1);
    expect(again.services[0]?.isCached).toBe(true);
    expect(again.run.cache).toEqual({ hits: 1, misses: 1 });
  });

  it('keeps malformed lines as errors and the rest of the scrape', async () => {
    const output = await createMetricsOperator().execute(
      makeContext({ services: [service('a', '/crafted')] }),
    );

    expect(output.services[0]?.errors).toEqual([
      'line 9: expected a label name or "}" in "broken{ 1"',
    ]);
    expect(output.services[0]?.topFamilies.map((f) => [f.name, f.samples])).toEqual([
      ['rpc_seconds', 5],
      ['up', 1],
    ]);
    expect(output.services[0]?.topFamilies[0]?.histogram).toMatchObject({ p50: 0.55, p99: 1 });
  });

  it('reads OpenMetrics by its content type', async () => {
    const output = await createMetricsOperator().execute(
      makeContext({ services: [service('om', '/openmetrics')] }),
    );

    expect(output.services[0]).toMatchObject({ ok: true, families: 1, samples: 2, errors: [] });
    // The _created timestamp is not a value of the counter.
    expect(output.services[0]?.topFamilies[0]?.summary).toMatchObject({ count: 1, mean: 3 });
  });

  it('reads JSON numbers, numeric strings and booleans by path', async () => {
    const output = await createMetricsOperator().execute(
      makeContext({
        services: [
          {
            name: 'api',
            jsonUrl: `${base}/stats.json`,
            jsonMetrics: {
              memory: 'measurements[0].value',
              depth: 'queues[*].depth',
              hitRatio: '["cache.hit.ratio"]',
              primary: 'isPrimary',
              missing: 'threads.live',
            },
          },
        ],
      }),
    );

    const [json] = output.services;
    expect(json).toMatchObject({ kind: 'json', ok: true, families: 5, samples: 5 });
    expect(json?.values.map((metric) => [metric.name, metric.count, metric.value])).toEqual([
      ['memory', 1, 1.25e8],
      ['depth', 2, null],
      ['hitRatio', 1, 0.75],
      ['primary', 1, 1],
      ['missing', 0, null],
    ]);
    expect(json?.values[1]?.summary).toMatchObject({ count: 2, mean: 5, min: 3, max: 7 });
    expect(json?.errors).toEqual([
      'depth (queues[*].depth): $.queues[2].depth: expected a number, found the string "deep"',
      'missing (threads.live): $: expected a key "threads", found an object with "name", ' +
        '"measurements", "queues", "cache.hit.ratio", "isPrimary"',
    ]);
  });

  it('records a 500, a non-exposition body and a non-JSON body as not ok without failing', async () => {
    const output = await createMetricsOperator().execute(
      makeContext({
        services: [
          service('good', '/crafted'),
          service('bad', '/fail'),
          service('html', '/html'),
          { name: 'html-json', jsonUrl: `${base}/html`, jsonMetrics: { a: 'a' } },
          { name: 'health-only', healthUrl: `${base}/health` },
        ],
      }),
    );

    expect(output.services.map((s) => [s.name, s.kind, s.ok, s.families])).toEqual([
      ['good', 'prometheus', true, 2],
      ['bad', 'prometheus', false, 0],
      ['html', 'prometheus', false, 0],
      ['html-json', 'json', false, 0],
    ]);
    expect(output.services[1]?.errors[0]).toContain('500');
    expect(output.services[2]?.errors).toEqual([
      'line 1: expected a metric name or a "#" comment in "<html>"',
      'line 2: expected a metric name or a "#" comment in "</html>"',
    ]);
    expect(output.services[3]?.errors[0]).toContain(
      `${base}/html: expected a JSON document, found "<html>`,
    );
  });
});

describe('history', () => {
  function saveRun(runId: string, day: number, figures: Record<string, [number, number]>): void {
    store.startRun(
      runId,
      `2024-01-${String(day).padStart(2, '0')}T00:00:00.000Z`,
      '{"profile":"optimized"}',
    );
    for (const [task, [durationMs, peakRssBytes]] of Object.entries(figures)) {
      store.saveTaskRun(taskRun(runId, task, day, durationMs, peakRssBytes));
    }
  }

  it('compares this run with the median and p99 of earlier runs and flags regressions', async () => {
    const mb = 1024 * 1024;
    // Five earlier runs: scrape took 1.0-1.4 s at 100-140 MiB.
    for (let day = 1; day <= 5; day += 1) {
      saveRun(`run-${day}`, day, {
        scrape: [900 + day * 100, (90 + day * 10) * mb],
        engine: [200, 200 * mb],
      });
    }
    // This run: scrape 2.4 s (+100% over the 1.2 s median), engine 250 ms (+25%, under 50%).
    saveRun('run-now', 9, { scrape: [2_400, 125 * mb], engine: [250, 300 * mb] });

    const output = await createMetricsOperator().execute(makeContext({}));

    const byTask = new Map(output.history.tasks.map((task) => [task.task, task]));
    expect(byTask.get('scrape')).toMatchObject({
      runs: 5,
      hasVerdict: true,
      duration: { current: 2_400, median: 1_200, change: 1, isRegression: true },
      memory: { current: 125 * mb, median: 120 * mb, isRegression: false },
    });
    // p99 of 1.0..1.4 s by linear interpolation: 1,300 + 0.96 * 100.
    expect(byTask.get('scrape')?.duration.p99).toBeCloseTo(1_396, 9);
    expect(byTask.get('engine')?.duration.isRegression).toBe(false);
    expect(byTask.get('engine')?.memory.isRegression).toBe(true);

    expect(output.history.regressions.map((r) => r.message)).toEqual([
      'scrape took 2.4 s, +100% over the median 1.2 s of 5 earlier runs ' +
        '(threshold +50%, above their p99 1.4 s)',
      'engine peaked at 300 MiB, +50% over the median 200 MiB of 5 earlier runs ' +
        '(threshold +25%, above their p99 200 MiB)',
    ]);
  });

  it('gives figures but no verdict below the minimum of earlier runs', async () => {
    saveRun('run-1', 1, { scrape: [1_000, 1e8] });
    saveRun('run-now', 2, { scrape: [9_000, 1e8] });

    const output = await createMetricsOperator().execute(makeContext({}));

    expect(output.history.tasks).toMatchObject([
      { task: 'scrape', runs: 1, hasVerdict: false, duration: { median: 1_000, change: 8 } },
    ]);
    expect(output.history.regressions).toEqual([]);
  });

  it('ignores increases below the absolute minimum and honours configured thresholds', async () => {
    for (let day = 1; day <= 3; day += 1) saveRun(`run-${day}`, day, { health: [10, 1e8] });
    saveRun('run-now', 5, { health: [40, 1e8] });

    const quiet = await createMetricsOperator().execute(makeContext({}));
    const strict = await createMetricsOperator().execute(
      makeContext({ metrics: { history: { minDurationChangeMs: 20, durationThreshold: 2 } } }),
    );

    // +300%, but 30 ms is under the default 100 ms minimum change.
    expect(quiet.history.regressions).toEqual([]);
    expect(strict.history.regressions.map((r) => [r.task, r.figure, r.threshold])).toEqual([
      ['health', 'duration', 2],
    ]);
  });
});

function taskRun(
  runId: string,
  task: string,
  day: number,
  durationMs: number,
  peakRssBytes: number,
): TaskRunRecord {
  const at = `2024-01-${String(day).padStart(2, '0')}T00:00:00.000Z`;
  return {
    runId,
    task,
    status: 'succeeded',
    attempts: 1,
    startedAt: at,
    finishedAt: at,
    durationMs,
    peakRssBytes,
    requests: 10,
    connections: 2,
    bytesIn: 5_000,
    error: null,
    output: null,
  };
}
