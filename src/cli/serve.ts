/** `flywheel serve`: /metrics, /healthz and /api/runs/latest until SIGINT or SIGTERM. */
import { startFlywheelServer } from '../server/index.ts';
import { createCliLogger, loadCliConfig, type CommonFlags } from './common.ts';
import { FLAG_RANGES, listenProblem, wholeFlag } from './flags.ts';

export interface ServeFlags extends CommonFlags {
  port?: string;
  host?: string;
}

/**
 * Serves until interrupted.
 *
 * @example
 * flywheel serve --config flywheel.yaml --port 9464
 */
export async function runServe(flags: ServeFlags): Promise<number> {
  const overrides: Record<string, string> = {};
  if (flags.port !== undefined) {
    overrides['serve.port'] = String(wholeFlag('port', flags.port, FLAG_RANGES.port));
  }
  if (flags.host !== undefined) overrides['serve.host'] = flags.host;
  const config = await loadCliConfig(flags, overrides);
  const { host, port } = config.serve;
  const server = await startFlywheelServer({
    config,
    logger: createCliLogger(flags.logLevel, { format: flags.logFormat }),
  }).catch((error: unknown) => {
    throw listenProblem(
      error,
      flags.port === undefined ? 'serve.port' : '--port',
      `${host}:${port}`,
      flags.host === undefined ? 'serve.host' : '--host',
    );
  });

  if (!flags.quiet) {
    process.stderr.write(
      `flywheel serve on ${server.url}: /metrics /healthz /api/runs/latest (Ctrl-C stops it)\n`,
    );
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}
