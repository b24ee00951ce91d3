/**
 * HealthCheckOperator: probes every upstream in parallel before the scrape, so platforms that are
 * down are skipped rather than hammered. A down target is a result; the task itself never fails.
 */
import { describeError } from '../../errors.ts';
import type { Operator, TaskContext } from '../../pipeline/types.ts';
import type { PlatformAdapter, PlatformName } from '../../platforms/types.ts';
import { checkHttp, checkStore, DEFAULT_CHECK_TIMEOUT_MS, type CheckResult } from './checks.ts';

/** What was probed. */
export type CheckKind = 'platform' | 'service' | 'store';

/** One probe of one target. */
export interface HealthCheck {
  /** Platform name, service name, or `store`. */
  name: string;
  kind: CheckKind;
  /** The probed URL, or the store path. */
  target: string;
  ok: boolean;
  status?: number;
  latencyMs: number;
  error?: string;
  /** True when the state could not be known (no recorded answer in a replayed run). */
  isUnknown?: boolean;
}

/** The health task's output; the runner reads `downPlatforms` to make the scrape skip them. */
export interface HealthOutput {
  checks: HealthCheck[];
  downPlatforms: PlatformName[];
}

/** Dependencies and options of `createHealthOperator`. */
export interface HealthOperatorOptions {
  /** The platform adapters; a platform with accounts but no adapter is reported down. */
  adapters: Partial<Record<PlatformName, PlatformAdapter>>;
  /** Time allowed for each check, milliseconds. Default: 5000. */
  timeoutMs?: number;
}

interface PendingCheck {
  name: string;
  kind: CheckKind;
  target: string;
  run: () => Promise<CheckResult>;
}

/**
 * Creates the health operator (task `health`, no dependencies).
 *
 * Probes, all at once: each platform that has a configured account (its adapter's `healthUrl`),
 * each configured service with a `healthUrl` (2xx, plus `expectBody` when set), and the store.
 *
 * @example
 * const health = createHealthOperator({ adapters: { mastodon: createMastodonAdapter(config) } });
 * const { downPlatforms } = await health.execute(ctx);
 */
export function createHealthOperator(options: HealthOperatorOptions): Operator<HealthOutput> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;

  return {
    name: 'health',
    dependsOn: [],
    async execute(ctx: TaskContext): Promise<HealthOutput> {
      const logger = ctx.logger.child({ component: 'health' });
      const pending = planChecks(ctx, options.adapters, timeoutMs);
      let done = 0;

      const checks = await Promise.all(
        pending.map(async (check): Promise<HealthCheck> => {
          const result = await check.run();
          done += 1;
          ctx.progress({
            item: check.name,
            message: result.ok ? 'up' : result.isUnknown ? 'unknown' : 'down',
            done,
            total: pending.length,
          });
          if (!result.ok && !result.isUnknown)
            logger.warn({ target: check.name, error: result.error }, 'target down');

          return { name: check.name, kind: check.kind, target: check.target, ...result };
        }),
      );

      const downPlatforms = checks
        .filter((check) => check.kind === 'platform' && !check.ok && !check.isUnknown)
        .map((check) => check.name as PlatformName);
      logger.info(
        { checks: checks.length, down: checks.filter((c) => !c.ok).length },
        'health checked',
      );

      return { checks, downPlatforms };
    },
  };
}

function planChecks(
  ctx: TaskContext,
  adapters: Partial<Record<PlatformName, PlatformAdapter>>,
  timeoutMs: number,
): PendingCheck[] {
  const checks: PendingCheck[] = [];
  const platforms = [...new Set(ctx.config.accounts.map((account) => account.platform))];

  for (const platform of platforms) {
    const adapter = adapters[platform];
    let target: string;
    try {
      if (adapter === undefined)
        throw new Error(`no adapter registered for platform "${platform}"`);
      target = adapter.healthUrl();
    } catch (error) {
      const failure: CheckResult = { ok: false, latencyMs: 0, error: describeError(error) };
      checks.push({
        name: platform,
        kind: 'platform',
        target: '',
        run: () => Promise.resolve(failure),
      });
      continue;
    }
    // Missing credentials make every account of the platform fail alike: say it once here, and
    // let the scrape skip the platform instead of failing each account.
    const credentials = adapter.credentialsProblem?.() ?? null;
    const run = (): Promise<CheckResult> =>
      credentials === null
        ? checkHttp(ctx.http, target, { timeoutMs, signal: ctx.signal, isClientErrorUp: true })
        : Promise.resolve({ ok: false, latencyMs: 0, error: credentials });
    checks.push({ name: platform, kind: 'platform', target, run });
  }

  for (const service of ctx.config.services) {
    const url = service.healthUrl;
    if (url === undefined) continue;
    const check = { timeoutMs, expectBody: service.expectBody, signal: ctx.signal };
    checks.push({
      name: service.name,
      kind: 'service',
      target: url,
      run: () => checkHttp(ctx.http, url, check),
    });
  }

  checks.push({
    name: 'store',
    kind: 'store',
    target: ctx.config.store.path,
    run: () => Promise.resolve(checkStore(ctx.store)),
  });

  return checks;
}
