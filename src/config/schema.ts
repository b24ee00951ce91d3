/**
 * The app config schema. Validated once at start; every default lives here.
 * Units are in the names (`Ms`, `Hours`); durations in YAML may also be written as "30s", "5m".
 */
import { z } from 'zod';
import { JsonPathSyntaxError, parseJsonPath } from '../operators/metrics/json-path.ts';
import { accountIssues, listingKey } from '../platforms/account-options.ts';
import { PLATFORM_NAMES, type AccountSpec } from '../platforms/types.ts';

/** The duration formats, for messages: what a user may write. */
export const DURATION_FORMATS =
  'milliseconds (1500) or a number with a unit: "250ms", "1.5s", "2m", "1h"';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/**
 * Reads a duration as milliseconds: a whole number (1500), digits as text ("1500"), or a number
 * with a unit ("250ms", "1.5s", "2m", "1h"). Returns undefined for anything else.
 */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (match === null) return undefined;
  const ms = Math.round(Number(match[1]) * UNIT_MS[(match[2] ?? 'ms') as keyof typeof UNIT_MS]);

  return Number.isSafeInteger(ms) ? ms : undefined;
}

/**
 * A duration field of at least `minMs` milliseconds. `why` says what a smaller value would do,
 * so the message explains the bound (e.g. "0 would fail every request").
 */
export function duration(minMs: number, why?: string) {
  return z
    .union([z.number(), z.string()], { error: `expected a duration: ${DURATION_FORMATS}` })
    .transform((value, ctx) => {
      const ms = parseDurationMs(value);
      if (ms === undefined) {
        ctx.addIssue({
          code: 'custom',
          input: value,
          message: `expected a duration: ${DURATION_FORMATS}`,
        });
        return z.NEVER;
      }
      if (ms < minMs) {
        const reason = why === undefined ? '' : ` (${why})`;
        ctx.addIssue({
          code: 'custom',
          input: value,
          message: `expected a duration of at least ${minMs} ms${reason}`,
        });
        return z.NEVER;
      }

      return ms;
    });
}

/** Any duration from 0 up: "250ms", "30s", "5m", "2h" or a whole number of milliseconds. */
export const durationMs = duration(0);

/** A timeout or wait that must be above 0. */
const positiveDuration = (why: string) => duration(1, why);

/** Probe intervals: shorter than this keeps the targets busy answering probes. */
const MIN_INTERVAL_MS = 100;

const url = z.url({ protocol: /^https?$/, error: 'an http(s) URL such as "https://example.com"' });

const platformBase = z.object({
  /** Origin (and path prefix) of the platform's API. */
  baseUrl: url.optional(),
  /** Posts per page asked of the platform. */
  pageSize: z.number().int().positive().optional(),
});

export const platformsSchema = z
  .object({
    bluesky: platformBase.default({}),
    mastodon: platformBase.default({}),
    reddit: platformBase
      .extend({
        /** Where the OAuth token is requested. Default https://www.reddit.com. */
        authUrl: url.optional(),
        /** Environment variable holding the OAuth app's client id. */
        clientIdEnv: z.string().default('REDDIT_CLIENT_ID'),
        /** Environment variable holding the OAuth app's client secret. */
        clientSecretEnv: z.string().default('REDDIT_CLIENT_SECRET'),
        userAgent: z.string().default('flywheel/0.1 (by flywheel)'),
      })
      .default({
        clientIdEnv: 'REDDIT_CLIENT_ID',
        clientSecretEnv: 'REDDIT_CLIENT_SECRET',
        userAgent: 'flywheel/0.1 (by flywheel)',
      }),
    youtube: platformBase
      .extend({
        /** Environment variable holding the YouTube Data API key. */
        apiKeyEnv: z.string().default('YOUTUBE_API_KEY'),
      })
      .default({ apiKeyEnv: 'YOUTUBE_API_KEY' }),
    hackernews: platformBase.default({}),
  })
  .strict();

export const accountSchema = z
  .object({
    platform: z.enum(PLATFORM_NAMES),
    /** Handle, user name, `r/subreddit`, channel id or Mastodon account id. */
    id: z.string().min(1),
    pageSize: z.number().int().positive().max(1024).optional(),
    /** Stop after this many pages in one run. Default: no limit. */
    maxPages: z.number().int().positive().optional(),
    /**
     * Platform-specific listing options, e.g. Reddit `listing: overview`, `sort: top`, `time: all`;
     * checked against what the platform's adapter reads (src/platforms/account-options.ts).
     */
    options: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String))
      .optional(),
  })
  .strict()
  .superRefine((account, ctx) => {
    for (const issue of accountIssues(account)) ctx.addIssue({ code: 'custom', ...issue });
  });

/** Two accounts that read the same listing would be scraped twice, concurrently. */
function rejectDuplicateAccounts(accounts: AccountSpec[], ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  accounts.forEach((account, index) => {
    const key = listingKey(account);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
      return;
    }
    ctx.addIssue({
      code: 'custom',
      path: [index],
      input: account.id,
      message:
        `the same listing as accounts[${first}] (${account.platform} ${account.id}), so it would ` +
        'be scraped twice; remove one (the same id with other options, e.g. another listing, is fine)',
    });
  });
}

/** The engine's pattern features (the engine's `FEATURES`; a test keeps the two lists equal). */
const PATTERN_FEATURES = [
  'hook',
  'length',
  'media',
  'hashtags',
  'slot',
  'weekday',
  'tone',
] as const;

/** Whether this runtime knows the IANA time zone. */
function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    // Intl throws a RangeError for an unknown zone; that is the answer, not a failure.
    return false;
  }
}

/** How the engine turns posts into arms (see docs/operators/engine.md, Patterns). */
export const patternsSchema = z
  .object({
    /** Features that become arms. Default: all. */
    features: z
      .array(z.enum(PATTERN_FEATURES))
      .min(1)
      .default([...PATTERN_FEATURES]),
    /** Upper bounds of the short and medium length buckets, in characters. */
    lengthBreaks: z
      .tuple([z.number().int().positive(), z.number().int().positive()])
      .refine(([short, medium]) => short < medium, 'two increasing bounds such as [80, 280]')
      .default([80, 280]),
    /** IANA time zone of the posting slot and weekday. */
    timeZone: z
      .string()
      .refine(isTimeZone, 'an IANA time zone such as "UTC" or "Europe/Paris"')
      .default('UTC'),
    /** Words added to the built-in positive list. */
    positiveWords: z.array(z.string().min(1)).default([]),
    /** Words added to the built-in negative list. */
    negativeWords: z.array(z.string().min(1)).default([]),
  })
  .strict();

const patternsDefaults = {
  features: [...PATTERN_FEATURES],
  lengthBreaks: [80, 280] as [number, number],
  timeZone: 'UTC',
  positiveWords: [],
  negativeWords: [],
};

/** A JSON path to a number (see src/operators/metrics/json-path.ts), checked at load. */
const jsonPath = z.string().superRefine((path, ctx) => {
  try {
    parseJsonPath(path);
  } catch (error) {
    if (!(error instanceof JsonPathSyntaxError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
  }
});

export const serviceSchema = z
  .object({
    name: z.string().min(1),
    /** Prometheus text endpoint, e.g. http://127.0.0.1:9100/metrics. */
    metricsUrl: url.optional(),
    /** Health endpoint; any 2xx is healthy unless `expectBody` is set. */
    healthUrl: url.optional(),
    /** A text the health body must contain, e.g. "OK" or "\"status\":\"UP\"". */
    expectBody: z.string().optional(),
    /** An endpoint answering JSON, read with `jsonMetrics`. */
    jsonUrl: url.optional(),
    /** Metric name -> path to its number(s) in the `jsonUrl` document, e.g. `jvm.memory.used`. */
    jsonMetrics: z.record(z.string().min(1), jsonPath).optional(),
  })
  .strict()
  .refine((service) => (service.jsonUrl === undefined) === (service.jsonMetrics === undefined), {
    message: 'jsonUrl and jsonMetrics go together: set both or neither',
    path: ['jsonMetrics'],
  });

/** The metrics task: scrape limits and how this run is compared with earlier runs. */
export const metricsSchema = z
  .object({
    /** How long a scrape stays cached; 0 turns the cache off. */
    cacheTtlMs: durationMs.default(15_000),
    /** Time allowed for one scrape. */
    timeoutMs: positiveDuration('0 would fail every scrape').default(10_000),
    /** Families summarised per service, most samples first. */
    topFamilies: z.number().int().nonnegative().default(10),
    history: z
      .object({
        /** Earlier successful runs of each task compared with this one. */
        runs: z.number().int().positive().max(10_000).default(20),
        /** Fewer earlier runs than this give figures but no regression verdict. */
        minRuns: z.number().int().positive().default(3),
        /** A duration above the history median by more than this fraction is a regression. */
        durationThreshold: z.number().nonnegative().default(0.5),
        /** A peak memory above the history median by more than this fraction is a regression. */
        memoryThreshold: z.number().nonnegative().default(0.25),
        /** Smaller duration increases are noise, never a regression. */
        minDurationChangeMs: durationMs.default(100),
        /** Smaller memory increases are noise, never a regression. */
        minMemoryChangeBytes: z
          .number()
          .int()
          .nonnegative()
          .default(16 * 1024 * 1024),
      })
      .strict()
      .default({
        runs: 20,
        minRuns: 3,
        durationThreshold: 0.5,
        memoryThreshold: 0.25,
        minDurationChangeMs: 100,
        minMemoryChangeBytes: 16 * 1024 * 1024,
      }),
  })
  .strict();

/** Circuit breaker per origin; see docs/http.md. */
const breakerSchema = z
  .object({
    /** `false` turns every breaker off. */
    enabled: z.boolean().default(true),
    /** Opens after this many failures in a row; 0 turns the rule off. */
    consecutiveFailures: z.number().int().nonnegative().default(5),
    /** Opens when this share of attempts fail within `samplingWindowMs`; 0 turns the rule off. */
    failureRatio: z.number().min(0).lt(1).default(0.5),
    /** Window of the failure ratio. */
    samplingWindowMs: positiveDuration('the failure ratio needs a window').default(30_000),
    /** Attempts per second the ratio rule needs before it may open. */
    minimumRps: z.number().positive().default(1),
    /** Rest after opening before one probe may go. */
    halfOpenAfterMs: positiveDuration('0 would probe at once, so the circuit never rests').default(
      10_000,
    ),
    /** Successful probes in a row that close the circuit. */
    successesToClose: z.number().int().positive().max(100).default(2),
  })
  .strict();

/** A fixed rate for one origin: at most `limit` requests in any `intervalMs`. */
const rateLimitSchema = z
  .object({
    limit: z.number().int().positive(),
    intervalMs: positiveDuration('a rate needs a window'),
  })
  .strict();

/** Keys are http(s) URLs; only their origin counts (`https://oauth.reddit.com`). */
const rateLimitsSchema = z
  .record(z.string(), rateLimitSchema)
  .superRefine((limits, ctx) => {
    for (const key of Object.keys(limits)) {
      if (isHttpUrl(key)) continue;
      ctx.addIssue({
        code: 'custom',
        path: [key],
        input: key,
        message: `"${key}" is not an http(s) origin; expected a key such as "https://oauth.reddit.com"`,
      });
    }
  })
  .transform((limits) =>
    Object.fromEntries(Object.entries(limits).map(([key, rule]) => [new URL(key).origin, rule])),
  );

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

const httpSchema = z
  .object({
    /** Connections per origin. */
    connections: z.number().int().positive().max(256).default(20),
    /** Timeout of one attempt. */
    timeoutMs: positiveDuration('0 would fail every request').default(15_000),
    /** Time allowed for one request, waits and retries included. */
    deadlineMs: positiveDuration('0 would fail every request').default(120_000),
    /** Attempts in all for idempotent requests. */
    maxAttempts: z.number().int().positive().max(10).default(3),
    /** First backoff step; doubles each retry, with full jitter. */
    backoffBaseMs: durationMs.default(250),
    /** Longest backoff, Retry-After or quota wait honoured. */
    maxWaitMs: positiveDuration("0 would retry at once, ignoring the server's Retry-After").default(
      60_000,
    ),
    userAgent: z.string().default('flywheel/0.1'),
    /** Idle keep-alive time when the server gives no hint. */
    keepAliveTimeoutMs: positiveDuration('undici needs an idle time above 0').default(4_000),
    /** Upper bound on a server's keep-alive hint. */
    keepAliveMaxTimeoutMs: positiveDuration('undici needs an idle time above 0').default(60_000),
    /** Taken off a server's keep-alive hint so the client drops an idle socket first. */
    keepAliveThresholdMs: durationMs.default(1_000),
    /** Largest response body accepted, bytes. */
    maxResponseBytes: z
      .number()
      .int()
      .positive()
      .default(64 * 1024 * 1024),
    /** Below this share of a quota read from limit headers, the rest is spread until the reset. */
    paceBelowRatio: z.number().min(0).max(1).default(0.5),
    /** Fixed rates by origin. */
    rateLimits: rateLimitsSchema.default({}),
    breaker: breakerSchema.default(breakerSchema.parse({})),
  })
  .strict();

const jsonScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A condition on a JSON health body; every field given must hold. */
export const jsonConditionSchema = z
  .object({
    /** Dot-separated keys with optional [n] indexes, e.g. `components.db.status`. */
    path: z
      .string()
      .regex(
        /^[^.[\]]+(\[\d+\])*(\.[^.[\]]+(\[\d+\])*)*$/,
        'a path such as "status" or "components.db.status" or "checks[0].state"',
      ),
    equals: jsonScalar.optional(),
    oneOf: z.array(jsonScalar).min(1).optional(),
    /** true: the path must be present; false: absent. */
    exists: z.boolean().optional(),
    atLeast: z.number().optional(),
    atMost: z.number().optional(),
  })
  .strict();

const regexText = z.string().refine((text) => {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}, 'a valid regular expression');

const checkBase = {
  /** Unique among `health.checks`. */
  name: z.string().min(1),
  /** Time allowed for this check. Default: `health.timeoutMs`. */
  timeoutMs: positiveDuration('0 would fail the check at once').optional(),
  /** Whether /healthz answers 503 while this target is down. */
  critical: z.boolean().default(false),
};

/** One extra health check: HTTP, TCP connect, Redis PING or PostgreSQL `SELECT 1`. */
export const healthCheckSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('http'),
      ...checkBase,
      url,
      /** Statuses that count as up. Default: any 2xx. */
      status: z.array(z.number().int().min(100).max(599)).min(1).optional(),
      /** A text the body must contain. */
      expectBody: z.string().optional(),
      /** A regular expression the body must match. */
      bodyMatches: regexText.optional(),
      /** Conditions on the JSON body; all must hold. */
      json: z.array(jsonConditionSchema).optional(),
      /** Slowest acceptable answer. */
      maxLatencyMs: positiveDuration('0 would call every answer too slow').optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('tcp'),
      ...checkBase,
      host: z.string().min(1),
      port: z.number().int().min(1).max(65_535),
    })
    .strict(),
  z
    .object({
      type: z.literal('redis'),
      ...checkBase,
      /** redis:// URL; prefer `urlEnv` when it holds a password. */
      url: z
        .string()
        .regex(/^rediss?:\/\/\S+$/, 'a Redis URL such as "redis://127.0.0.1:6379"')
        .optional(),
      /** Environment variable holding the URL. */
      urlEnv: z.string().min(1).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('sql'),
      ...checkBase,
      /** postgres:// URL; prefer `urlEnv` when it holds a password. */
      url: z
        .string()
        .regex(/^postgres(ql)?:\/\/\S+$/, 'a PostgreSQL URL such as "postgres://127.0.0.1:5432/db"')
        .optional(),
      /** Environment variable holding the URL. */
      urlEnv: z.string().min(1).optional(),
    })
    .strict(),
]);

export const healthSchema = z
  .object({
    /** Time allowed for each check unless the check sets its own. */
    timeoutMs: positiveDuration('0 would fail every check at once').default(5_000),
    /** Failed probes in a row that take an up target down. */
    failureThreshold: z.number().int().positive().max(100).default(3),
    /** Successful probes in a row that bring a down target up. */
    successThreshold: z.number().int().positive().max(100).default(1),
    /** `flywheel serve`: probe interval of a target that is up. */
    intervalMs: duration(MIN_INTERVAL_MS, 'a shorter interval keeps the targets busy').default(
      30_000,
    ),
    /** `flywheel serve`: probe interval of a target that is down (faster, to see it return). */
    downIntervalMs: duration(MIN_INTERVAL_MS, 'a shorter interval keeps the targets busy').default(
      5_000,
    ),
    /** Failed probes in a row that open a target's breaker: no probes until it half-opens. */
    breakerThreshold: z.number().int().positive().max(1000).default(5),
    /** Wait before the first trial probe of an open breaker; doubles after each failed trial. */
    breakerHalfOpenMs: positiveDuration(
      '0 would probe at once, so the breaker never rests',
    ).default(30_000),
    /** Longest wait between trial probes of an open breaker. */
    breakerMaxHalfOpenMs: positiveDuration(
      '0 would probe at once, so the breaker never rests',
    ).default(600_000),
    checks: z.array(healthCheckSchema).default([]),
  })
  .strict()
  .superRefine((health, issues) => {
    const seen = new Set<string>();
    health.checks.forEach((check, index) => {
      if (seen.has(check.name)) {
        issues.addIssue({
          code: 'custom',
          path: ['checks', index, 'name'],
          input: check.name,
          message: `the name "${check.name}" is used by an earlier check; names must be unique`,
        });
      }
      seen.add(check.name);
      const isUrlMissing =
        (check.type === 'redis' || check.type === 'sql') &&
        check.url === undefined &&
        check.urlEnv === undefined;
      if (isUrlMissing) {
        issues.addIssue({
          code: 'custom',
          path: ['checks', index],
          input: check,
          message: `a ${check.type} check needs "url" or "urlEnv"`,
        });
      }
    });
  });

export const configSchema = z
  .object({
    /** `optimized` (pooled, concurrent, cached, batched) or `naive` (all of that off, for comparison). */
    profile: z.enum(['optimized', 'naive']).default('optimized'),
    store: z
      .object({ path: z.string().default('.flywheel/flywheel.sqlite') })
      .strict()
      .default({ path: '.flywheel/flywheel.sqlite' }),
    http: httpSchema.default(httpSchema.parse({})),
    platforms: platformsSchema.default(platformsSchema.parse({})),
    accounts: z.array(accountSchema).superRefine(rejectDuplicateAccounts).default([]),
    services: z.array(serviceSchema).default([]),
    scrape: z
      .object({
        /** Accounts scraped at once. */
        concurrency: z.number().int().positive().max(256).default(8),
        /** Default page limit per account per run. */
        maxPages: z.number().int().positive().default(10),
      })
      .strict()
      .default({ concurrency: 8, maxPages: 10 }),
    engine: z
      .object({
        /** Robust z-score above which a post is viral. */
        zThreshold: z.number().positive().default(3.5),
        /** Ratio to the account median above which a post is viral (both must hold). */
        ratioThreshold: z.number().positive().default(3),
        /** Posts an account needs before it has a baseline. */
        minHistory: z.number().int().positive().default(5),
        /** Posts younger than this are refreshed through the batch endpoints. */
        refreshMaxAgeHours: z.number().nonnegative().default(48),
        /** Posts observed at least this old are settled; baselines use them when there are enough. */
        matureAgeHours: z.number().nonnegative().default(48),
        /** Most recent posts with engagement an account's baseline covers. */
        baselinePosts: z.number().int().positive().default(100),
        /** Snapshots within this factor of an age count as "at about" that age (equal-age, prediction). */
        ageTolerance: z.number().min(1).default(1.5),
        /** Training pairs an age needs before the early-prediction model uses its growth term. */
        predictMinPairs: z.number().int().positive().default(10),
        /** How long refreshed counts are reused from the cache; 0 turns the cache off. */
        refreshCacheTtlMs: durationMs.default(300_000),
        patterns: patternsSchema.default(patternsDefaults),
      })
      .strict()
      .default({
        zThreshold: 3.5,
        ratioThreshold: 3,
        minHistory: 5,
        refreshMaxAgeHours: 48,
        matureAgeHours: 48,
        baselinePosts: 100,
        ageTolerance: 1.5,
        predictMinPairs: 10,
        refreshCacheTtlMs: 300_000,
        patterns: patternsDefaults,
      }),
    thompson: z
      .object({
        priorAlpha: z.number().positive().default(1),
        priorBeta: z.number().positive().default(1),
        /** Recommendations made per run. */
        slots: z.number().int().positive().max(1000).default(5),
        /** Monte Carlo draws for the probability that each arm is best. */
        probBestDraws: z.number().int().positive().max(1_000_000).default(2000),
        seed: z.number().int().optional(),
        /** Days after which an outcome counts half (drifting tastes); unset: never forgotten. */
        halfLifeDays: z.number().positive().optional(),
      })
      .strict()
      .default({ priorAlpha: 1, priorBeta: 1, slots: 5, probBestDraws: 2000 }),
    metrics: metricsSchema.default(metricsSchema.parse({})),
    tasks: z
      .object({
        /** Attempts per task, first included. */
        maxAttempts: z.number().int().positive().max(10).default(2),
        /** Wall-time limit per attempt of a task. */
        timeoutMs: positiveDuration('0 would time every task out at once').default(300_000),
      })
      .strict()
      .default({ maxAttempts: 2, timeoutMs: 300_000 }),
    cache: z
      .object({
        /** Entries the memory tier keeps (least recently used leave first). */
        maxEntries: z.number().int().positive().default(1000),
        /** Fraction of each TTL taken off at random, so entries written together expire apart. */
        ttlJitter: z.number().min(0).max(1).default(0.1),
        /** Redis as the shared second tier, e.g. redis://127.0.0.1:6379/0. Default: memory only. */
        redisUrl: z
          .string()
          .regex(/^rediss?:\/\/\S+$/, 'a Redis URL such as "redis://127.0.0.1:6379"')
          .optional(),
        /** Prefix of every cache key, in Redis too. */
        prefix: z.string().min(1).default('flywheel'),
        /** Redis connect and command timeout. */
        redisTimeoutMs: positiveDuration('0 would fail every Redis call').default(500),
        /** How long the Redis tier is skipped after it fails. */
        redisBreakMs: durationMs.default(10_000),
      })
      .strict()
      .default({
        maxEntries: 1000,
        ttlJitter: 0.1,
        prefix: 'flywheel',
        redisTimeoutMs: 500,
        redisBreakMs: 10_000,
      }),
    health: healthSchema.default(healthSchema.parse({})),
    serve: z
      .object({
        /** Address `flywheel serve` listens on; 0.0.0.0 exposes it beyond this machine. */
        host: z.string().min(1).default('127.0.0.1'),
        /** Port of `flywheel serve`. */
        port: z.number().int().min(0).max(65_535).default(9464),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 9464 }),
  })
  .strict();

/** The validated config. */
export type AppConfig = z.output<typeof configSchema>;
/** The config as a user writes it. */
export type AppConfigInput = z.input<typeof configSchema>;
export type AccountConfig = z.output<typeof accountSchema>;
export type ServiceConfig = z.output<typeof serviceSchema>;
export type HealthConfig = z.output<typeof healthSchema>;
export type HealthCheckConfig = z.output<typeof healthCheckSchema>;
export type JsonConditionConfig = z.output<typeof jsonConditionSchema>;
export type MetricsConfig = z.output<typeof metricsSchema>;
