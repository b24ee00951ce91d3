/**
 * The measuring half of a bench child: runs one target through `runFlywheel` (the path the CLI
 * takes), cold, then warm on the same HTTP client and cache. Loaded by `child.ts` for `measure`
 * and pipeline `floor` jobs, so both load exactly these modules.
 * @internal
 */
import { createCache } from '../cache/index.ts';
import type { TieredCache } from '../cache/index.ts';
import type { AppConfig } from '../config/schema.ts';
import { validateConfig } from '../config/index.ts';
import type { HttpClient } from '../http/types.ts';
import { createRunHttpClient, runFlywheel } from '../pipeline/flywheel.ts';
import { PLATFORM_NAMES, type PlatformName } from '../platforms/types.ts';
import { openSqliteStore } from '../store/index.ts';
import { maxRssBytes } from './rss.ts';
import type { ChildResult, MeasureJob, PassFigures } from './types.ts';

interface PassContext {
  job: MeasureJob;
  http: HttpClient;
  cache: TieredCache;
  now: () => Date;
}

/** Stored posts per platform created at or after `since`: what the refresh had to look up. */
function countRecent(storePath: string, since: string): Partial<Record<PlatformName, number>> {
  const store = openSqliteStore(storePath);
  try {
    const counts: Partial<Record<PlatformName, number>> = {};
    for (const platform of PLATFORM_NAMES) {
      const posts = store.countPosts({ platform, createdSince: since });
      if (posts > 0) counts[platform] = posts;
    }
    return counts;
  } finally {
    store.close();
  }
}

async function pass(
  context: PassContext,
  config: AppConfig,
  storePath: string,
): Promise<PassFigures> {
  const { job, http, cache } = context;
  const httpBefore = http.stats();
  const cacheBefore = cache.stats();
  const cpuBefore = process.cpuUsage();
  const { result, report } = await runFlywheel({
    config: { ...config, store: { path: storePath } },
    http,
    cache,
    env: job.env,
    now: context.now,
    ...(job.target === 'run' ? {} : { only: [job.target] }),
  });
  const cpu = process.cpuUsage(cpuBefore);
  const httpAfter = http.stats();
  const cacheAfter = cache.stats();

  const task = result.tasks.find((entry) => entry.task === job.target);
  const failed = result.tasks.find((entry) => entry.status !== 'succeeded');
  const engine = result.tasks.find((entry) => entry.task === 'engine');
  const hours = config.engine.refreshMaxAgeHours;
  const since =
    engine === undefined
      ? undefined
      : new Date(Date.parse(engine.startedAt) - hours * 3_600_000).toISOString();

  return {
    wallMs: job.target === 'run' ? result.durationMs : (task?.durationMs ?? 0),
    cpuMs: (cpu.user + cpu.system) / 1_000,
    status: failed === undefined ? 'succeeded' : `${failed.task} ${failed.status}`,
    ...(failed?.error ? { error: failed.error } : {}),
    requests: httpAfter.requests - httpBefore.requests,
    connections: httpAfter.connections - httpBefore.connections,
    bytesIn: httpAfter.bytesIn - httpBefore.bytesIn,
    bytesOut: httpAfter.bytesOut - httpBefore.bytesOut,
    retries: httpAfter.retries - httpBefore.retries,
    cacheHits: cacheAfter.hits - cacheBefore.hits,
    cacheMisses: cacheAfter.misses - cacheBefore.misses,
    posts: report.posts.total,
    pages: report.posts.pages,
    ...(since === undefined ? {} : { recentPosts: countRecent(storePath, since) }),
    ...(job.target === 'run'
      ? {
          tasks: result.tasks.map((entry) => ({
            task: entry.task,
            status: entry.status,
            durationMs: entry.durationMs ?? 0,
            requests: entry.requests,
            connections: entry.connections,
          })),
        }
      : {}),
  };
}

/** Runs the job's target cold (and warm); `loadedRssBytes` is the peak once modules loaded. */
export async function measure(job: MeasureJob, loadedRssBytes: number): Promise<ChildResult> {
  const config = validateConfig(
    { ...job.config, profile: job.profile, store: { path: job.coldStore } },
    'bench config',
  );
  const http = createRunHttpClient(config);
  const cache = createCache(config);
  await cache.connect();
  const started = performance.now();
  // The run's clock: the scenario's time, advancing as real time does, so durations are real.
  const now = () => new Date(job.clockStartMs + (performance.now() - started));
  const context = { job, http, cache, now };

  try {
    const cold = await pass(context, config, job.coldStore);
    const peakRssBytes = maxRssBytes();
    const warm =
      job.warmStore === undefined ? undefined : await pass(context, config, job.warmStore);

    return { kind: 'measure', peakRssBytes, loadedRssBytes, cold, ...(warm ? { warm } : {}) };
  } finally {
    await cache.close();
    await http.close();
  }
}
