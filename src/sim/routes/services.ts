/**
 * Simulated services: `/services/<name>/metrics` in the Prometheus text format (counters, gauges
 * and a histogram whose values advance deterministically with each scrape) and
 * `/services/<name>/healthz` answering `{"status":"ok"}`.
 * @internal
 */
import { createRandom } from '../random.ts';
import type { SimReply, SimRequest } from '../types.ts';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface ServiceState {
  scrapes: number;
  requests: Record<'200' | '404' | '500', number>;
  buckets: number[];
  sum: number;
  count: number;
}

function advance(
  state: ServiceState,
  seed: number,
  name: string,
): { memory: number; inflight: number } {
  // One stream per scrape: the nth scrape of a service always yields the same numbers.
  const random = createRandom(seed, 'service', name, state.scrapes);
  state.scrapes += 1;
  const served = random.int(50, 150);
  for (let index = 0; index < served; index += 1) {
    const seconds = random.logNormal(name === 'worker' ? 0.12 : 0.03, 0.8);
    state.sum += seconds;
    state.count += 1;
    BUCKETS.forEach((bound, bucket) => {
      if (seconds <= bound) state.buckets[bucket]! += 1;
    });
    const code = random.chance(0.01) ? '500' : random.chance(0.03) ? '404' : '200';
    state.requests[code] += 1;
  }

  return { memory: Math.round(random.uniform(80, 140) * 1024 * 1024), inflight: random.int(0, 12) };
}

function render(
  name: string,
  state: ServiceState,
  gauges: { memory: number; inflight: number },
): string {
  const label = `service="${name}"`;
  const lines = [
    '# HELP http_requests_total Requests handled, by status code.',
    '# TYPE http_requests_total counter',
    ...Object.entries(state.requests).map(
      ([code, value]) => `http_requests_total{${label},method="GET",code="${code}"} ${value}`,
    ),
    '# HELP process_resident_memory_bytes Resident memory size in bytes.',
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes{${label}} ${gauges.memory}`,
    '# HELP http_inflight_requests Requests being served right now.',
    '# TYPE http_inflight_requests gauge',
    `http_inflight_requests{${label}} ${gauges.inflight}`,
    '# HELP http_request_duration_seconds Time to serve a request.',
    '# TYPE http_request_duration_seconds histogram',
    ...BUCKETS.map(
      (bound, bucket) =>
        `http_request_duration_seconds_bucket{${label},le="${bound}"} ${state.buckets[bucket]}`,
    ),
    `http_request_duration_seconds_bucket{${label},le="+Inf"} ${state.count}`,
    `http_request_duration_seconds_sum{${label}} ${state.sum.toFixed(6)}`,
    `http_request_duration_seconds_count{${label}} ${state.count}`,
  ];

  return `${lines.join('\n')}\n`;
}

/** The service routes for `names`, each with its own scrape counter. */
export function createServiceRoutes(
  names: readonly string[],
  seed: number,
): (req: SimRequest) => SimReply | undefined {
  const states = new Map<string, ServiceState>(
    names.map((name) => [
      name,
      {
        scrapes: 0,
        requests: { '200': 0, '404': 0, '500': 0 },
        buckets: BUCKETS.map(() => 0),
        sum: 0,
        count: 0,
      },
    ]),
  );

  return (req) => {
    const match = /^\/([^/]+)\/(metrics|healthz)$/.exec(req.path);
    const name = match?.[1];
    const state = name === undefined ? undefined : states.get(name);
    if (name === undefined || state === undefined) return undefined;
    if (match?.[2] === 'healthz') return { route: 'services healthz', body: { status: 'ok' } };

    return {
      route: 'services metrics',
      headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
      body: render(name, state, advance(state, seed, name)),
    };
  };
}
