/**
 * The app config schema. Validated once at start; every default lives here.
 * Units are in the names (`Ms`, `Hours`); durations in YAML may also be written as "30s", "5m".
 */
import { z } from 'zod';
import { JsonPathSyntaxError, parseJsonPath } from '../operators/metrics/json-path.ts';
import { PLATFORM_NAMES } from '../platforms/types.ts';

/** Parses "250ms", "30s", "5m", "2h" or a plain number of milliseconds. */
const durationMs = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .regex(/^\d+(\.\d+)?\s*(ms|s|m|h)$/, 'a duration such as "500ms", "30s", "5m" or "2h"')
    .transform((text) => {
      const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/.exec(text)!;
      const factor = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[
        match[2] as 'ms' | 's' | 'm' | 'h'
      ];
      return Math.round(Number(match[1]) * factor);
    }),
]);

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
    /** Platform-specific listing options, e.g. Reddit `listing: overview`, `sort: top`, `time: all`. */
    options: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).optional(),
  })
  .strict();

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
    timeoutMs: durationMs.default(10_000),
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

export const configSchema = z
  .object({
    /** `optimized` (pooled, concurrent, cached, batched) or `naive` (all of that off, for comparison). */
    profile: z.enum(['optimized', 'naive']).default('optimized'),
    store: z
      .object({ path: z.string().default('.flywheel/flywheel.sqlite') })
      .strict()
      .default({ path: '.flywheel/flywheel.sqlite' }),
    http: z
      .object({
        /** Connections per origin. */
        connections: z.number().int().positive().max(256).default(20),
        /** Timeout of one attempt. */
        timeoutMs: durationMs.default(15_000),
        /** Attempts in all for idempotent requests. */
        maxAttempts: z.number().int().positive().max(10).default(3),
        /** First backoff step; doubles each retry, with full jitter. */
        backoffBaseMs: durationMs.default(250),
        /** Longest backoff or Retry-After wait honoured. */
        maxWaitMs: durationMs.default(60_000),
        userAgent: z.string().default('flywheel/0.1'),
      })
      .strict()
      .default({
        connections: 20,
        timeoutMs: 15_000,
        maxAttempts: 3,
        backoffBaseMs: 250,
        maxWaitMs: 60_000,
        userAgent: 'flywheel/0.1',
      }),
    platforms: platformsSchema.default(platformsSchema.parse({})),
    accounts: z.array(accountSchema).default([]),
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
      })
      .strict()
      .default({
        zThreshold: 3.5,
        ratioThreshold: 3,
        minHistory: 5,
        refreshMaxAgeHours: 48,
        matureAgeHours: 48,
      }),
    thompson: z
      .object({
        priorAlpha: z.number().positive().default(1),
        priorBeta: z.number().positive().default(1),
        /** Recommendations made per run. */
        slots: z.number().int().positive().max(1000).default(5),
        /** Monte Carlo draws for the probability that each arm is best. */
        probBestDraws: z.number().int().positive().default(2000),
        seed: z.number().int().optional(),
      })
      .strict()
      .default({ priorAlpha: 1, priorBeta: 1, slots: 5, probBestDraws: 2000 }),
    metrics: metricsSchema.default(metricsSchema.parse({})),
    tasks: z
      .object({
        /** Attempts per task, first included. */
        maxAttempts: z.number().int().positive().max(10).default(2),
        /** Wall-time limit per attempt of a task. */
        timeoutMs: durationMs.default(300_000),
      })
      .strict()
      .default({ maxAttempts: 2, timeoutMs: 300_000 }),
  })
  .strict();

/** The validated config. */
export type AppConfig = z.output<typeof configSchema>;
/** The config as a user writes it. */
export type AppConfigInput = z.input<typeof configSchema>;
export type AccountConfig = z.output<typeof accountSchema>;
export type ServiceConfig = z.output<typeof serviceSchema>;
export type MetricsConfig = z.output<typeof metricsSchema>;
