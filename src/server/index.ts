/** `flywheel serve`: /metrics, /healthz and the latest run's report over HTTP. */
export { createServerApp, healthz } from './app.ts';
export type { HealthzBody, ServerSources } from './app.ts';
export { createRunIngest } from './ingest.ts';
export type { RunIngest } from './ingest.ts';
export { startFlywheelServer } from './serve.ts';
export type { FlywheelServer, FlywheelServerOptions } from './serve.ts';
