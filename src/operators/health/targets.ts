/**
 * What the health checks probe: each platform that has accounts, each service with a health URL,
 * each extra check in `health.checks`, the store, and the cache's Redis tier when configured.
 */
import type { AppConfig, HealthCheckConfig } from '../../config/schema.ts';
import { describeError } from '../../errors.ts';
import { SECRET_QUERY_KEYS, redactUrl } from '../../http/redact.ts';
import type { HttpClient } from '../../http/types.ts';
import type { PlatformAdapter, PlatformName } from '../../platforms/types.ts';
import type { Store } from '../../store/types.ts';
import type { CheckResult } from './bounded.ts';
import { checkHttp, checkStore } from './checks.ts';
import { checkPostgres, checkRedis, checkTcp } from './probes.ts';

/** The role of a target: platform APIs, configured services, extra checks, the store, the cache. */
export type CheckKind = 'platform' | 'service' | 'check' | 'store' | 'cache';

/** How a target is probed. */
export type ProbeKind = 'http' | 'tcp' | 'redis' | 'sql';

/** One thing to probe. */
export interface HealthTarget {
  /** `kind:name`, the key of its remembered state. */
  id: string;
  name: string;
  kind: CheckKind;
  probe: ProbeKind;
  /**
   * What is probed, for people: a URL without its secrets (HTTP: no user info, secret query
   * values as `***`; Redis and SQL: the password masked), `host:port` or the store path. It is
   * saved with the task's output, so a secret here would reach the store.
   */
  target: string;
  /** Whether /healthz answers 503 while it is down. */
  isCritical: boolean;
  /**
   * A failure known without probing (no adapter, missing credentials, a URL variable unset):
   * the target is down at once, and no probe or breaker is involved.
   */
  staticFailure?: string;
  run(signal: AbortSignal): Promise<CheckResult>;
}

/** What `planTargets` needs. */
export interface PlanSources {
  config: AppConfig;
  adapters: Partial<Record<PlatformName, PlatformAdapter>>;
  http: HttpClient;
  store: Store;
  /** Where `urlEnv` variables are read. */
  env: NodeJS.ProcessEnv;
}

/** Lists every target in report order: platforms, services, checks, the store, the cache. */
export function planTargets(sources: PlanSources): HealthTarget[] {
  const { config } = sources;
  const timeoutMs = config.health.timeoutMs;

  return [
    ...platformTargets(sources, timeoutMs),
    ...config.services.flatMap((service): HealthTarget[] => {
      const url = service.healthUrl;
      if (url === undefined) return [];
      const options = { timeoutMs, expectBody: service.expectBody };
      const run = (signal: AbortSignal) => checkHttp(sources.http, url, { ...options, signal });
      return [target('service', service.name, 'http', redactUrl(url), false, run)];
    }),
    ...config.health.checks.map((check) => checkTarget(check, sources, timeoutMs)),
    target('store', 'store', 'sql', config.store.path, true, () =>
      Promise.resolve(checkStore(sources.store)),
    ),
    ...(config.cache.redisUrl === undefined || config.profile === 'naive'
      ? []
      : [redisTarget('cache', 'redis', config.cache.redisUrl, false, timeoutMs)]),
  ];
}

function platformTargets(sources: PlanSources, timeoutMs: number): HealthTarget[] {
  const platforms = [...new Set(sources.config.accounts.map((account) => account.platform))];

  return platforms.map((platform) => {
    const adapter = sources.adapters[platform];
    if (adapter === undefined) {
      return staticDown('platform', platform, `no adapter registered for platform "${platform}"`);
    }
    let url: string;
    try {
      url = adapter.healthUrl();
    } catch (error) {
      return staticDown('platform', platform, describeError(error));
    }
    // Missing credentials make every account of the platform fail alike: say it once here, and
    // let the scrape skip the platform instead of failing each account.
    const credentials = adapter.credentialsProblem?.() ?? null;
    if (credentials !== null)
      return { ...staticDown('platform', platform, credentials), target: redactUrl(url) };

    return target('platform', platform, 'http', redactUrl(url), false, (signal) =>
      checkHttp(sources.http, url, { timeoutMs, signal, isClientErrorUp: true }),
    );
  });
}

function checkTarget(
  check: HealthCheckConfig,
  sources: PlanSources,
  fallbackMs: number,
): HealthTarget {
  const timeoutMs = check.timeoutMs ?? fallbackMs;
  switch (check.type) {
    case 'http':
      return target('check', check.name, 'http', redactUrl(check.url), check.critical, (signal) =>
        checkHttp(sources.http, check.url, {
          timeoutMs,
          signal,
          expectStatus: check.status,
          expectBody: check.expectBody,
          bodyMatches: check.bodyMatches,
          json: check.json,
          maxLatencyMs: check.maxLatencyMs,
        }),
      );
    case 'tcp':
      return target(
        'check',
        check.name,
        'tcp',
        `${check.host}:${check.port}`,
        check.critical,
        (signal) => checkTcp(check.host, check.port, { timeoutMs, signal }),
      );
    case 'redis':
    case 'sql': {
      const url = check.url ?? (check.urlEnv === undefined ? undefined : sources.env[check.urlEnv]);
      if (url === undefined || url === '') {
        const problem = `environment variable ${check.urlEnv ?? '(none)'} is not set; it should hold the ${check.type === 'redis' ? 'Redis' : 'PostgreSQL'} URL`;
        return {
          ...staticDown('check', check.name, problem, check.type),
          isCritical: check.critical,
        };
      }
      if (check.type === 'redis')
        return redisTarget('check', check.name, url, check.critical, timeoutMs);
      return target('check', check.name, 'sql', maskUrl(url), check.critical, (signal) =>
        checkPostgres(url, { timeoutMs, signal }),
      );
    }
  }
}

function redisTarget(
  kind: CheckKind,
  name: string,
  url: string,
  isCritical: boolean,
  timeoutMs: number,
): HealthTarget {
  return target(kind, name, 'redis', maskUrl(url), isCritical, (signal) =>
    checkRedis(url, { timeoutMs, signal }),
  );
}

function target(
  kind: CheckKind,
  name: string,
  probe: ProbeKind,
  label: string,
  isCritical: boolean,
  run: (signal: AbortSignal) => Promise<CheckResult>,
): HealthTarget {
  return { id: `${kind}:${name}`, name, kind, probe, target: label, isCritical, run };
}

function staticDown(
  kind: CheckKind,
  name: string,
  problem: string,
  probe: ProbeKind = 'http',
): HealthTarget {
  return {
    ...target(kind, name, probe, '', false, () =>
      Promise.resolve({ ok: false, latencyMs: 0, error: problem }),
    ),
    staticFailure: problem,
  };
}

/** Query keys whose values are secrets in Redis and PostgreSQL URLs, besides the HTTP ones. */
const SECRET_URL_KEYS = [...SECRET_QUERY_KEYS, 'password', 'sslpassword'];

/**
 * A Redis or PostgreSQL URL for reports: the user name kept (a database role, not a secret),
 * the password and secret query values (`?password=`, `?token=`) masked as `***`.
 */
function maskUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(unparsable url)';
  }
  // redactUrl drops the user info and masks the query; the user name and a mask go back in.
  const redacted = redactUrl(url, '***', SECRET_URL_KEYS);
  if (parsed.username === '' && parsed.password === '') return redacted;
  const userInfo = `${parsed.username}${parsed.password === '' ? '' : ':***'}@`;

  return redacted.replace('//', `//${userInfo}`);
}
