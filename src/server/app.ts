/**
 * The HTTP face of `flywheel serve` (Hono): /metrics for Prometheus, /healthz for probes and
 * people, and the latest run's report as JSON. Built apart from the socket so tests can call
 * `app.request()` in process.
 */
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { describeError } from '../errors.ts';
import type { HealthCheck } from '../operators/health/index.ts';
import type { StoredReport } from '../store/types.ts';

/** What the routes read. */
export interface ServerSources {
  /** The registry /metrics renders. */
  registry: Registry;
  /** Called before each /metrics render, to bring the figures up to date. */
  refresh(): void;
  /** The latest health of every target. */
  health(): { checks: HealthCheck[]; checkedAt: string | null };
  /** The latest stored run report, or null before any run. */
  latestReport(): StoredReport | null;
}

/** /healthz's body. */
export interface HealthzBody {
  /** `down` (503): a critical target is down; `degraded`: another target is down. */
  status: 'ok' | 'degraded' | 'down';
  checkedAt: string | null;
  checks: Array<{
    name: string;
    kind: string;
    state: string;
    critical: boolean;
    latencyMs: number;
    breaker: string;
    since: string | null;
    error?: string;
  }>;
}

/**
 * Creates the app. Routes: `GET /metrics` (Prometheus text), `GET /healthz` (JSON, 200 or 503),
 * `GET /api/runs/latest` (the latest run's report, 404 before any run).
 *
 * @example
 * const app = createServerApp(sources);
 * const response = await app.request('/healthz');
 */
export function createServerApp(sources: ServerSources): Hono {
  const app = new Hono();

  app.get('/metrics', async (c) => {
    sources.refresh();
    const text = await sources.registry.metrics();
    return c.body(text, 200, { 'content-type': sources.registry.contentType });
  });

  app.get('/healthz', (c) => {
    const body = healthz(sources.health());
    return c.json(body, body.status === 'down' ? 503 : 200, { 'cache-control': 'no-store' });
  });

  app.get('/api/runs/latest', (c) => {
    const latest = sources.latestReport();
    if (latest === null) return c.json({ error: 'no finished run in the store yet' }, 404);

    return c.body(latest.reportJson, 200, { 'content-type': 'application/json; charset=utf-8' });
  });

  app.notFound((c) =>
    c.json(
      {
        error: `no route ${c.req.method} ${c.req.path}; try /metrics, /healthz or /api/runs/latest`,
      },
      404,
    ),
  );
  app.onError((error, c) => c.json({ error: describeError(error) }, 500));

  return app;
}

/** Summarises the checks: down when a critical target is down, degraded when another one is. */
export function healthz(health: { checks: HealthCheck[]; checkedAt: string | null }): HealthzBody {
  const isDown = (check: HealthCheck): boolean => check.state === 'down';
  const status = health.checks.some((check) => check.isCritical && isDown(check))
    ? 'down'
    : health.checks.some(isDown)
      ? 'degraded'
      : 'ok';

  return {
    status,
    checkedAt: health.checkedAt,
    checks: health.checks.map((check) => ({
      name: check.name,
      kind: check.kind,
      state: check.state,
      critical: check.isCritical,
      latencyMs: check.latencyMs,
      breaker: check.breaker,
      since: check.since,
      ...(check.error === undefined || check.state === 'up' ? {} : { error: check.error }),
    })),
  };
}
