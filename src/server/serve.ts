/**
 * `flywheel serve` assembled: the store, a health monitor probing on its schedule, Flywheel's
 * metrics with prom-client's process metrics, and the Hono app on a real socket.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { collectDefaultMetrics } from 'prom-client';
import type { AppConfig } from '../config/schema.ts';
import { describeError } from '../errors.ts';
import { createHttpClient } from '../http/index.ts';
import { silentLogger, type Logger } from '../observe/logger.ts';
import { createFlywheelMetrics, type FlywheelMetrics } from '../observe/metrics.ts';
import type { RunReport } from '../observe/report-types.ts';
import { HealthMonitor, healthOptions, planTargets } from '../operators/health/index.ts';
import { createAdapters } from '../platforms/index.ts';
import { openSqliteStore } from '../store/index.ts';
import type { Store, StoredReport } from '../store/types.ts';
import { createServerApp } from './app.ts';
import { createRunIngest } from './ingest.ts';

/** Options of `startFlywheelServer`. */
export interface FlywheelServerOptions {
  config: AppConfig;
  /** Address to listen on. Default: `config.serve.host`. */
  host?: string;
  /** Port; 0 picks a free one. Default: `config.serve.port`. */
  port?: number;
  /** Default: silent. */
  logger?: Logger;
  /** Where platform credentials and `urlEnv` variables are read. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** A running server. */
export interface FlywheelServer {
  /** e.g. `http://127.0.0.1:9464`. */
  url: string;
  app: Hono;
  monitor: HealthMonitor;
  metrics: FlywheelMetrics;
  /** Stops listening, stops the probes and closes the store. */
  close(): Promise<void>;
}

/**
 * Starts the server: one health round first (so /healthz has answers from the start), then the
 * probe schedule, then the socket.
 *
 * @throws StoreError when the store cannot be opened; an error when the port is taken.
 * @example
 * const server = await startFlywheelServer({ config, port: 9464 });
 * // curl http://127.0.0.1:9464/metrics
 * await server.close();
 */
export async function startFlywheelServer(options: FlywheelServerOptions): Promise<FlywheelServer> {
  const { config } = options;
  const logger = (options.logger ?? silentLogger).child({ component: 'server' });
  const env = options.env ?? process.env;
  const store = openSqliteStore(config.store.path);
  const http = createHttpClient({ ...config.http, profile: config.profile, maxAttempts: 1 });
  const adapters = createAdapters(config.platforms, env);
  const targets = planTargets({ config, adapters, http, store, env });
  const monitor = new HealthMonitor({ ...healthOptions(config), targets, store, logger });
  const metrics = createFlywheelMetrics();
  collectDefaultMetrics({ register: metrics.registry });
  const refresh = createRefresh(store, metrics, logger);

  let checkedAt: string | null = null;
  monitor.on('round', (checks) => {
    if (checks.length > 0) checkedAt = new Date().toISOString();
    metrics.recordHealth(monitor.checks());
  });
  await monitor.round();
  monitor.start();
  refresh();

  const app = createServerApp({
    registry: metrics.registry,
    refresh,
    health: () => ({ checks: monitor.checks(), checkedAt }),
    latestReport: () => store.latestReport(),
  });
  const server = serve({
    fetch: app.fetch,
    hostname: options.host ?? config.serve.host,
    port: options.port ?? config.serve.port,
  });
  try {
    await once(server, 'listening');
  } catch (error) {
    await shutdown();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  logger.info({ url: `http://${host}:${address.port}` }, 'serving');

  async function shutdown(): Promise<void> {
    await monitor.stop();
    await http.close();
    store.close();
  }

  return {
    url: `http://${host}:${address.port}`,
    app,
    monitor,
    metrics,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await shutdown();
    },
  };
}

/** Runs looked at per refresh; more runs finishing between two scrapes than this are rare. */
const RECENT_RUNS = 50;

/**
 * Counts stored runs into the metrics once each: at start only the latest (counters begin with
 * the server), then every run that appeared since, oldest first.
 */
function createRefresh(store: Store, metrics: FlywheelMetrics, logger: Logger): () => void {
  const ingest = createRunIngest(metrics);
  const seen = new Set<string>();
  let isFirst = true;

  const count = (report: StoredReport): void => {
    try {
      ingest.ingest(JSON.parse(report.reportJson) as RunReport);
    } catch (error) {
      // One unreadable report costs its own figures, not the others' or the scrape.
      logger.warn({ runId: report.runId, error: describeError(error) }, 'stored run not counted');
    }
  };

  return () => {
    let recent: StoredReport[];
    try {
      recent = store.recentReports(RECENT_RUNS).reverse();
    } catch (error) {
      // /metrics still answers with what it has; the next scrape tries again.
      logger.warn({ error: describeError(error) }, 'stored runs not read');
      return;
    }
    const fresh = recent.filter((report) => !seen.has(report.runId));
    for (const report of fresh) seen.add(report.runId);
    (isFirst ? fresh.slice(-1) : fresh).forEach(count);
    isFirst = false;
  };
}
