/**
 * HealthCheckOperator: probes every upstream in parallel before the scrape, so platforms that are
 * down are skipped rather than hammered. A down target is a result; the task itself never fails.
 */
import type { Operator, TaskContext } from '../../pipeline/types.ts';
import type { PlatformAdapter, PlatformName } from '../../platforms/types.ts';
import { HealthMonitor, type HealthCheck } from './monitor.ts';
import { healthOptions } from './options.ts';
import { planTargets } from './targets.ts';

export type { HealthCheck } from './monitor.ts';

/** The health task's output; the runner reads `downPlatforms` to make the scrape skip them. */
export interface HealthOutput {
  checks: HealthCheck[];
  /** Platforms whose state is down after this round. */
  downPlatforms: PlatformName[];
  /** Why each down platform is down, for the scrape's skip message. */
  downReasons: Partial<Record<PlatformName, string>>;
}

/** Dependencies of `createHealthOperator`. */
export interface HealthOperatorOptions {
  /** The platform adapters; a platform with accounts but no adapter is reported down. */
  adapters: Partial<Record<PlatformName, PlatformAdapter>>;
  /** Where `urlEnv` variables of `health.checks` are read. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Creates the health operator (task `health`, no dependencies).
 *
 * Probes, all at once and each under its own timeout (`health.timeoutMs`): each platform that has
 * a configured account, each service with a `healthUrl`, each of `health.checks` (HTTP, TCP,
 * Redis, PostgreSQL), the store (`SELECT 1`) and the cache's Redis tier. States, thresholds and
 * breakers carry over between runs through the store.
 *
 * @example
 * const health = createHealthOperator({ adapters: { mastodon: createMastodonAdapter(config) } });
 * const { downPlatforms } = await health.execute(ctx);
 */
export function createHealthOperator(options: HealthOperatorOptions): Operator<HealthOutput> {
  return {
    name: 'health',
    dependsOn: [],
    async execute(ctx: TaskContext): Promise<HealthOutput> {
      const logger = ctx.logger.child({ component: 'health' });
      const targets = planTargets({
        config: ctx.config,
        adapters: options.adapters,
        http: ctx.http,
        store: ctx.store,
        env: options.env ?? process.env,
      });
      const monitor = new HealthMonitor({
        ...healthOptions(ctx.config),
        targets,
        store: ctx.store,
        logger: ctx.logger,
        now: ctx.now,
      });
      let done = 0;
      monitor.on('check', (check) => {
        done += 1;
        ctx.progress({ item: check.name, message: describe(check), done, total: targets.length });
      });
      const checks = await monitor.round({ signal: ctx.signal });

      const down = checks.filter((check) => check.kind === 'platform' && check.state === 'down');
      const downReasons: Partial<Record<PlatformName, string>> = {};
      for (const check of down) downReasons[check.name as PlatformName] = reason(check);
      logger.info(
        { checks: checks.length, down: checks.filter((c) => c.state === 'down').length },
        'health checked',
      );

      return {
        checks,
        downPlatforms: down.map((check) => check.name as PlatformName),
        downReasons,
      };
    },
  };
}

/** The progress line of one check; a failure says why, as the scrape's lines do. */
function describe(check: HealthCheck): string {
  if (check.isUnknown) return 'unknown';
  if (check.isSkipped) return 'down (breaker open, not probed)';
  if (check.ok) return 'up';
  const why = check.error === undefined ? '' : `: ${check.error}`;
  return check.state === 'down' ? `down${why}` : `up, failing (${check.failures} in a row)${why}`;
}

function reason(check: HealthCheck): string {
  const since = check.since === null ? '' : ` since ${check.since}`;
  return `${check.error ?? 'down'}${since}`;
}
