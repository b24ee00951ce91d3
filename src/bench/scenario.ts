/**
 * The bench scenario: what the simulator serves, how the flywheel is configured against it, how
 * many pairs are measured, and the requirements and targets the results are held to. Read from
 * a YAML or JSON file, then flags; every default lives here (docs/bench.md lists them).
 */
import { z } from 'zod';
import { describeIssues, readSettingsFile } from '../config/settings-file.ts';
import { ConfigError } from '../errors.ts';
import { PLATFORM_NAMES } from '../platforms/types.ts';
import { BENCH_TARGETS } from './types.ts';

/** The largest page each simulated platform serves (its API's own cap). */
const MAX_PAGE_SIZE = {
  bluesky: 100,
  mastodon: 40,
  reddit: 100,
  youtube: 50,
  hackernews: 500,
} as const;

const count = z.number().int().nonnegative();
const positive = z.number().int().positive();

/** Requirements: a failed one makes `flywheel bench` exit 1. */
export const requirementsSchema = z
  .object({
    /** Least improvement of the median wall time over naive, where the network is on the path. */
    minImprovement: z.number().min(0).max(1).default(0.1),
    /** Largest peak resident set size of a child measuring the optimised profile, MB (10^6 B). */
    maxPeakRssMb: z.number().positive().default(100),
    /** Least connection reuse, 1 - connections / requests: the whole run, and each warm pass. */
    minReuse: z.number().min(0).max(1).default(0.9),
    /** Largest p99 wall time of the optimised profile per kind of operation, ms. */
    p99Ms: z
      .object({
        probe: z.number().positive().default(1_000),
        fetch: z.number().positive().default(10_000),
        compute: z.number().positive().default(5_000),
        run: z.number().positive().default(20_000),
      })
      .strict()
      .default({ probe: 1_000, fetch: 10_000, compute: 5_000, run: 20_000 }),
  })
  .strict();

/** Targets: reported with pass or fail, never a reason to exit 1. */
export const goalsSchema = z
  .object({
    /** Least speed-up (naive / optimised) where the network is on the path. */
    minSpeedup: z.number().positive().default(2),
    /** Largest ratio of requests made to the scenario's minimum. */
    maxRequestRatio: z.number().min(1).default(1.05),
    /** Largest ratio of the scrape's wall time to its critical-path floor. */
    maxFloorRatio: z.number().min(1).default(1.2),
    /** Largest peak RSS above the import floor, MB. */
    maxRssAboveFloorMb: z.number().nonnegative().default(40),
  })
  .strict();

/** The `--scale` runs. */
export const scaleSchema = z
  .object({
    /** Account counts the scrape is repeated at. */
    accounts: z.array(positive).min(1).default([10, 100, 1_000]),
    /** Posts of the streaming import; smaller sizes (each a tenth) show the growth. */
    importPosts: z.array(positive).min(1).default([10_000, 100_000, 1_000_000]),
    /** Posts per write, as a scraped page. */
    importPageSize: positive.max(10_000).default(100),
    /** Runs per size; the median is reported. */
    runs: positive.max(20).default(1),
    /** Largest peak RSS of the biggest import, MB. */
    maxImportRssMb: z.number().positive().default(100),
  })
  .strict();

export const scenarioSchema = z
  .object({
    /** Seed of the simulated world and the bandit. */
    seed: z.number().int().default(42),
    /** The simulated world's "now"; posts spread over the 30 days before it. */
    startTime: z.iso.datetime().default('2026-01-05T12:00:00.000Z'),
    /** Simulated accounts per platform; platforms left out have none. */
    accounts: z
      .partialRecord(z.enum(PLATFORM_NAMES), count)
      .refine((accounts) => Object.values(accounts).some((n) => n > 0), 'at least one account')
      .default({ bluesky: 24 }),
    /** Posts each account has. */
    posts: positive.max(100_000).default(60),
    /** Pages each account's posts are read in (the page size is posts / pages, rounded up). */
    pages: positive.max(10_000).default(3),
    /** Delay before every simulated response, ms: the round trip. */
    latencyMs: count.max(60_000).default(20),
    /** Extra delay before a new connection's first response, ms: TCP and TLS handshakes. */
    connectLatencyMs: count.max(60_000).default(40),
    /** Share of requests the simulator answers 503. */
    faultRate: z.number().min(0).max(0.5).default(0),
    /** Simulated services with /metrics and /healthz. */
    services: count.max(100).default(2),
    /** Accounts scraped at once (`scrape.concurrency`; also the refresh's lookups in flight). */
    concurrency: positive.max(256).default(8),
    /** Connections per origin (`http.connections`). */
    connections: positive.max(256).default(20),
    /** Naive/optimised pairs per target, each side in a fresh child process. */
    pairs: positive.max(100).default(5),
    /** What is measured; default every operator and the whole run. */
    targets: z
      .array(z.enum(BENCH_TARGETS))
      .min(1)
      .default([...BENCH_TARGETS]),
    /**
     * Node.js and V8 flags for the children, e.g. `--max-semi-space-size=4`, to see what a
     * deployment's `NODE_OPTIONS` would change. Default: none, Flywheel as it ships.
     */
    nodeOptions: z
      .array(z.string().regex(/^--[a-z0-9-]+(=\S+)?$/, 'a flag such as "--max-semi-space-size=4"'))
      .default([]),
    /** Extra Flywheel settings for both profiles, as in a config file (e.g. `engine:`). */
    config: z.record(z.string(), z.unknown()).default({}),
    requirements: requirementsSchema.default(requirementsSchema.parse({})),
    goals: goalsSchema.default(goalsSchema.parse({})),
    scale: scaleSchema.default(scaleSchema.parse({})),
  })
  .strict()
  .superRefine((scenario, issues) => {
    const pageSize = Math.ceil(scenario.posts / scenario.pages);
    for (const [platform, accounts] of Object.entries(scenario.accounts)) {
      const max = MAX_PAGE_SIZE[platform as keyof typeof MAX_PAGE_SIZE];
      if (accounts > 0 && pageSize > max) {
        issues.addIssue({
          code: 'custom',
          path: ['pages'],
          input: scenario.pages,
          message: `${scenario.posts} posts in ${scenario.pages} pages makes pages of ${pageSize}, above ${platform}'s ${max}; ask for at least ${Math.ceil(scenario.posts / max)} pages`,
        });
      }
    }
  });

export type Scenario = z.output<typeof scenarioSchema>;
export type Requirements = Scenario['requirements'];
export type Goals = Scenario['goals'];
export type ScaleSettings = Scenario['scale'];

/** Page size of the scenario's listings. */
export function pageSize(scenario: Pick<Scenario, 'posts' | 'pages'>): number {
  return Math.ceil(scenario.posts / scenario.pages);
}

/** Total simulated accounts. */
export function accountTotal(scenario: Pick<Scenario, 'accounts'>): number {
  return Object.values(scenario.accounts).reduce((sum, n) => sum + n, 0);
}

/**
 * Validates a scenario object; raises ConfigError naming each bad field, its value and what was
 * expected. `source` names the scenario in the message.
 */
export function parseScenario(input: unknown, source = 'scenario'): Scenario {
  const result = scenarioSchema.safeParse(input ?? {}, { reportInput: true });
  if (result.success) return result.data;

  const lines = describeIssues(result.error.issues, { docs: 'docs/bench.md' });
  throw new ConfigError(`invalid ${source}:\n${lines}`);
}

/** Reads a YAML or JSON scenario file (not yet validated: flags are merged first). */
export function readScenarioFile(file: string): Promise<Record<string, unknown>> {
  return readSettingsFile(file, 'scenario');
}
