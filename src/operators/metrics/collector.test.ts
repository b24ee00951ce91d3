import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../cache/index.ts';
import { configSchema, type AppConfigInput } from '../../config/schema.ts';
import { createHttpClient } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';
import { silentLogger } from '../../observe/logger.ts';
import type { Cache, TaskContext } from '../../pipeline/types.ts';
import type { Store, TaskRunRecord } from '../../store/types.ts';
import { createMetricsOperator, type MetricsOutput } from './collector.ts';

const DATA = fileURLToPath(
  new URL('../../../../shared/data/prometheus-exposition/', import.meta.url),
);
const HAS_DATA = existsSync(DATA);

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

let server: Server;
let base = '';
let http: HttpClient;
const hits = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const send = (body: string): void => {
      // A little latency so concurrent collections overlap.
      setTimeout(
        () => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body),
        20,
      );
    };

    if (path === '/crafted') send(CRAFTED);
    else if (path === '/alltypes') send(readFileSync(`${DATA}alltypes.237mfs.prom.txt`, 'utf8'));
    else if (path === '/promtool') send(readFileSync(`${DATA}metrics-test.prom`, 'utf8'));
    else if (path === '/html')
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>\n</html>');
    else res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
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
});

function taskRun(
  task: string,
  durationMs: number,
  requests: number,
  connections: number,
): TaskRunRecord {
  return {
    runId: 'run-2',
    task,
    status: 'succeeded',
    attempts: 1,
    startedAt: '2024-01-01T00:00:00.000Z',
    finishedAt: '2024-01-01T00:00:01.000Z',
    durationMs,
    peakRssBytes: 100_000_000,
    requests,
    connections,
    bytesIn: 5_000,
    error: null,
    output: null,
  };
}

interface StoreData {
  taskRuns?: TaskRunRecord[];
  latest?: { runId: string; output: string } | null;
}

function makeContext(config: AppConfigInput, data: StoreData = {}, cache?: Cache): TaskContext {
  const store: Partial<Store> = {
    listTaskRuns: (runId) => (data.taskRuns ?? []).filter((run) => run.runId === runId),
    latestTaskOutput: () => data.latest ?? null,
  };
  return {
    runId: 'run-2',
    task: 'metrics',
    attempt: 1,
    config: configSchema.parse(config),
    logger: silentLogger,
    store: store as Store,
    http,
    cache: cache ?? createMemoryCache(),
    signal: new AbortController().signal,
    now: () => new Date('2024-01-01T00:00:00Z'),
    inputs: {},
    downPlatforms: new Set(),
    progress: () => undefined,
  };
}

describe.skipIf(!HAS_DATA)('real expositions (skipped: ../shared/data absent)', () => {
  it('collects the Prometheus server scrape as 237 families and 1,857 samples', async () => {
    const operator = createMetricsOperator();
    const output = await operator.execute(
      makeContext({ services: [{ name: 'prometheus', metricsUrl: `${base}/alltypes` }] }),
    );

    expect(output.services).toHaveLength(1);
    expect(output.services[0]).toMatchObject({
      name: 'prometheus',
      url: `${base}/alltypes`,
      ok: true,
      families: 237,
      samples: 1857,
      errors: [],
      isCached: false,
    });
    expect(output.services[0]?.topFamilies).toHaveLength(10);
  });

  it('aggregates each family sample values', async () => {
    const operator = createMetricsOperator({ topFamilies: 1 });
    const output = await operator.execute(
      makeContext({ services: [{ name: 'promtool', metricsUrl: `${base}/promtool` }] }),
    );

    const top = output.services[0]?.topFamilies;
    expect(top).toHaveLength(1);
    expect(top?.[0]).toMatchObject({
      name: 'prometheus_tsdb_compaction_chunk_size_bytes',
      type: 'histogram',
      samples: 15,
      summary: { count: 15, nanCount: 0, min: 662, max: 3_886_707 },
    });
    // 13 buckets + sum 3,886,707 + count 13,867.
    const buckets = [
      662, 1460, 2266, 3958, 4861, 5721, 10493, 12464, 13254, 13699, 13806, 13852, 13867,
    ];
    const total = buckets.reduce((sum, v) => sum + v, 0) + 3_886_707 + 13_867;
    expect(top?.[0]?.summary.mean).toBeCloseTo(total / 15, 6);
  });
});

describe('createMetricsOperator', () => {
  it('makes one request for two concurrent collections of one target', async () => {
    const operator = createMetricsOperator();
    const cache = createMemoryCache();
    const config = {
      services: [
        { name: 'a', metricsUrl: `${base}/crafted` },
        { name: 'b', metricsUrl: `${base}/crafted` },
      ],
    };

    const [first, second] = await Promise.all([
      operator.execute(makeContext(config, {}, cache)),
      operator.execute(makeContext(config, {}, cache)),
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

  it('makes one request when a cache does not de-duplicate', async () => {
    const operator = createMetricsOperator();
    const passThrough: Cache = {
      getOrSet: (_key, _ttl, factory) => factory(),
      stats: () => ({ hits: 0, misses: 0 }),
    };
    const config = { services: [{ name: 'a', metricsUrl: `${base}/crafted` }] };

    await Promise.all([
      operator.execute(makeContext(config, {}, passThrough)),
      operator.execute(makeContext(config, {}, passThrough)),
    ]);

    expect(hits.get('/crafted')).toBe(1);
  });

  it('answers from the cache within the TTL', async () => {
    const operator = createMetricsOperator();
    const cache = createMemoryCache();
    const config = { services: [{ name: 'a', metricsUrl: `${base}/crafted` }] };

    await operator.execute(makeContext(config, {}, cache));
    const again = await operator.execute(makeContext(config, {}, cache));

    expect(hits.get('/crafted')).toBe(1);
    expect(again.services[0]?.isCached).toBe(true);
    expect(again.run.cache).toEqual({ hits: 1, misses: 1 });
  });

  it('keeps malformed lines as errors and the rest of the scrape', async () => {
    const operator = createMetricsOperator();
    const output = await operator.execute(
      makeContext({ services: [{ name: 'a', metricsUrl: `${base}/crafted` }] }),
    );

    expect(output.services[0]?.errors).toEqual([
      'line 9: expected a label name or "}" in "broken{ 1"',
    ]);
    expect(output.services[0]?.topFamilies.map((f) => [f.name, f.samples])).toEqual([
      ['rpc_seconds', 5],
      ['up', 1],
    ]);
  });

  it('records a 500 target and a non-exposition body as not ok without failing', async () => {
    const operator = createMetricsOperator();
    const output = await operator.execute(
      makeContext({
        services: [
          { name: 'good', metricsUrl: `${base}/crafted` },
          { name: 'bad', metricsUrl: `${base}/fail` },
          { name: 'html', metricsUrl: `${base}/html` },
          { name: 'health-only', healthUrl: `${base}/health` },
        ],
      }),
    );

    expect(output.services.map((s) => [s.name, s.ok, s.families])).toEqual([
      ['good', true, 2],
      ['bad', false, 0],
      ['html', false, 0],
    ]);
    expect(output.services[1]?.errors).toHaveLength(1);
    expect(output.services[1]?.errors[0]).toContain('500');
    expect(output.services[2]?.errors).toEqual([
      'line 1: expected a metric name or a "#" comment in "<html>"',
      'line 2: expected a metric name or a "#" comment in "</html>"',
    ]);
  });

  it('reports the run figures and compares them with earlier runs', async () => {
    const previous: Pick<MetricsOutput, 'run' | 'history'> = {
      run: {
        runId: 'run-1',
        tasks: [{ ...figures('scrape', 200), reuseRatio: 0.5 }],
        http: {} as MetricsOutput['run']['http'],
        cache: { hits: 0, misses: 0 },
      },
      history: [{ runId: 'run-0', tasks: [figures('scrape', 400)] }],
    };
    const operator = createMetricsOperator();
    const output = await operator.execute(
      makeContext(
        {},
        {
          taskRuns: [taskRun('health', 50, 4, 4), taskRun('scrape', 150, 100, 5)],
          latest: { runId: 'run-1', output: JSON.stringify(previous) },
        },
      ),
    );

    expect(output.services).toEqual([]);
    expect(output.run.runId).toBe('run-2');
    expect(output.run.tasks.map((t) => [t.task, t.durationMs, t.reuseRatio])).toEqual([
      ['health', 50, 0],
      ['scrape', 150, 0.95],
    ]);
    expect(output.history.map((run) => run.runId)).toEqual(['run-1', 'run-0']);
    expect(output.comparison).toEqual([
      {
        task: 'health',
        durationMs: 50,
        historyDurationMs: null,
        durationChange: null,
        peakRssBytes: 100_000_000,
        historyPeakRssBytes: null,
      },
      {
        task: 'scrape',
        durationMs: 150,
        historyDurationMs: 300,
        durationChange: -0.5,
        peakRssBytes: 100_000_000,
        historyPeakRssBytes: 100_000_000,
      },
    ]);
    expect(output.run.http.requests).toBeGreaterThanOrEqual(0);
  });

  it('survives an unreadable earlier output', async () => {
    const operator = createMetricsOperator();
    const output = await operator.execute(
      makeContext({}, { latest: { runId: 'run-1', output: '{' } }),
    );

    expect(output.history).toEqual([]);
    expect(operator.dependsOn).toEqual(['thompson']);
  });
});

function figures(task: string, durationMs: number): MetricsOutput['run']['tasks'][number] {
  return {
    task,
    status: 'succeeded',
    attempts: 1,
    durationMs,
    peakRssBytes: 100_000_000,
    requests: 10,
    connections: 5,
    bytesIn: 100,
    reuseRatio: 0.5,
  };
}
