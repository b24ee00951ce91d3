/**
 * `flywheel bench --scale`: how time and peak memory grow with the work. The optimised scrape is
 * repeated at growing account counts (each against a simulator of that size, in fresh children),
 * and a streaming import writes growing numbers of posts into a new SQLite store. Time should
 * grow with the work and memory hardly at all: pages are streamed, never gathered.
 */
import { join } from 'node:path';
import { startSimulator } from '../sim/index.ts';
import type { Check } from './checks.ts';
import { runChild, type ChildCommand } from './children.ts';
import { sampleStats, type SampleStats } from './figures.ts';
import { expectedConnections, minimumRequests, scrapeFloor } from './limits.ts';
import {
  benchConfig,
  limitInputs,
  measureFloor,
  simOptions,
  withWorkDir,
  type ChildSession,
} from './run.ts';
import type { Scenario } from './scenario.ts';
import type { ChildResult, ImportJob, MeasureJob } from './types.ts';

/** One size of a scaling series. */
export interface ScaleRow {
  /** Accounts (scrape) or posts (import). */
  size: number;
  wallMs: SampleStats;
  peakRssBytes: SampleStats;
  /** Median peak RSS minus the import floor, bytes. */
  rssAboveFloorBytes: number;
  /** This size over the previous one; null on the first row. */
  sizeGrowth: number | null;
  /** Median wall time over the previous row's; null on the first row. */
  timeGrowth: number | null;
  /** Scrape: requests made, the minimum, connections opened and expected, the floor. */
  requests?: number;
  minimumRequests?: number;
  connections?: number;
  expectedConnections?: number;
  floorMs?: number;
  floorRatio?: number;
  /** Import: posts stored. */
  posts?: number;
}

/** The `--scale` figures. */
export interface ScaleResult {
  /** Import floor of the scrape's children (the pipeline's modules), bytes. */
  floorBytes: number;
  /** Import floor of the import's children (the store's modules only), bytes. */
  importFloorBytes: number;
  scrape: ScaleRow[];
  import: ScaleRow[];
  /** The import's memory limit; a failure makes the command exit 1. */
  checks: Check[];
}

/** `total` accounts over the scenario's platforms, in its proportions, the rest to the first. */
export function spreadAccounts(
  accounts: Scenario['accounts'],
  total: number,
): Scenario['accounts'] {
  const entries = Object.entries(accounts).filter(([, count]) => count > 0);
  const sum = entries.reduce((acc, [, count]) => acc + count, 0);
  const spread: Record<string, number> = {};
  let given = 0;
  for (const [platform, count] of entries) {
    spread[platform] = Math.floor((total * count) / sum);
    given += spread[platform];
  }
  const first = entries[0]?.[0];
  if (first !== undefined) spread[first] = (spread[first] ?? 0) + total - given;

  return spread;
}

function withGrowth(rows: Array<Omit<ScaleRow, 'sizeGrowth' | 'timeGrowth'>>): ScaleRow[] {
  return rows.map((row, index) => {
    const previous = rows[index - 1];
    return {
      ...row,
      sizeGrowth: previous === undefined ? null : row.size / previous.size,
      timeGrowth: previous === undefined ? null : row.wallMs.median / previous.wallMs.median,
    };
  });
}

async function scrapeAt(
  context: ChildSession,
  total: number,
  floorBytes: number,
): Promise<Omit<ScaleRow, 'sizeGrowth' | 'timeGrowth'>> {
  const scenario = {
    ...context.scenario,
    accounts: spreadAccounts(context.scenario.accounts, total),
  };
  const sim = await startSimulator(simOptions(scenario));
  const results: ChildResult[] = [];
  try {
    const config = benchConfig(sim, scenario);
    for (let run = 0; run < context.scenario.scale.runs; run++) {
      const id = ++context.sequence;
      const job: MeasureJob = {
        kind: 'measure',
        target: 'scrape',
        profile: 'optimized',
        config,
        env: sim.env(),
        coldStore: join(context.work, `scale-${id}.sqlite`),
        clockStartMs: context.clockStartMs,
        resultFile: join(context.work, `scale-${id}.json`),
      };
      const jobFile = join(context.work, `job-${id}.json`);
      results.push((await runChild(context.command, job, jobFile, context.timeoutMs)).result);
    }
  } finally {
    await sim.close();
  }

  const inputs = limitInputs(sim, scenario);
  const passes = results.map((result) => result.cold!);
  const peak = sampleStats(results.map((result) => result.peakRssBytes));
  const wall = sampleStats(passes.map((pass) => pass.wallMs));
  const floor = scrapeFloor(inputs, scenario.latencyMs, scenario.connectLatencyMs);
  const requests = sampleStats(passes.map((pass) => pass.requests)).median;
  context.progress(`  scrape of ${total} accounts: ${Math.round(wall.median)} ms`);

  return {
    size: total,
    wallMs: wall,
    peakRssBytes: peak,
    rssAboveFloorBytes: peak.median - floorBytes,
    requests,
    minimumRequests: minimumRequests('scrape', inputs),
    connections: sampleStats(passes.map((pass) => pass.connections)).median,
    expectedConnections: expectedConnections('scrape', 'optimized', 'cold', inputs, requests),
    floorMs: floor.floorMs,
    floorRatio: wall.median / floor.floorMs,
  };
}

async function importAt(
  context: ChildSession,
  posts: number,
  floorBytes: number,
): Promise<Omit<ScaleRow, 'sizeGrowth' | 'timeGrowth'>> {
  const results: ChildResult[] = [];
  for (let run = 0; run < context.scenario.scale.runs; run++) {
    const id = ++context.sequence;
    const job: ImportJob = {
      kind: 'import',
      posts,
      pageSize: context.scenario.scale.importPageSize,
      storePath: join(context.work, `import-${id}.sqlite`),
      seed: context.scenario.seed,
      resultFile: join(context.work, `import-${id}.json`),
    };
    const jobFile = join(context.work, `job-${id}.json`);
    results.push((await runChild(context.command, job, jobFile, context.timeoutMs)).result);
  }
  const peak = sampleStats(results.map((result) => result.peakRssBytes));
  const wall = sampleStats(results.map((result) => result.import!.wallMs));
  context.progress(
    `  import of ${posts.toLocaleString('en-US')} posts: ${Math.round(wall.median)} ms, peak RSS ${(peak.max / 1e6).toFixed(1)} MB`,
  );

  return {
    size: posts,
    wallMs: wall,
    peakRssBytes: peak,
    rssAboveFloorBytes: peak.median - floorBytes,
    posts: results[0]?.import?.storedPosts ?? 0,
  };
}

/** Runs the scaling series; `floorBytes` is the median import floor of the main measurement. */
export async function runScale(
  scenario: Scenario,
  command: ChildCommand,
  floorBytes: number,
  progress: (line: string) => void,
  timeoutMs = 600_000,
): Promise<ScaleResult> {
  return withWorkDir(async (work) => {
    const context: ChildSession = {
      scenario,
      command,
      work,
      clockStartMs: Date.parse(scenario.startTime),
      timeoutMs,
      progress,
      sequence: 0,
    };
    const scrape: Array<Omit<ScaleRow, 'sizeGrowth' | 'timeGrowth'>> = [];
    for (const total of scenario.scale.accounts)
      scrape.push(await scrapeAt(context, total, floorBytes));
    const storeFloors: number[] = [];
    for (let run = 0; run < scenario.scale.runs; run++) {
      storeFloors.push(await measureFloor(context, 'store'));
    }
    const importFloorBytes = sampleStats(storeFloors).median;
    const imports: Array<Omit<ScaleRow, 'sizeGrowth' | 'timeGrowth'>> = [];
    for (const posts of scenario.scale.importPosts) {
      imports.push(await importAt(context, posts, importFloorBytes));
    }

    const largest = imports.at(-1);
    const limit = scenario.scale.maxImportRssMb;
    const checks: Check[] =
      largest === undefined
        ? []
        : [
            {
              name: 'peak RSS of the streaming import',
              subject: `import ${largest.size.toLocaleString('en-US')} posts`,
              actual: `${(largest.peakRssBytes.max / 1e6).toFixed(1)} MB`,
              limit: `< ${limit} MB`,
              isPass: largest.peakRssBytes.max < limit * 1e6,
            },
          ];

    return {
      floorBytes,
      importFloorBytes,
      scrape: withGrowth(scrape),
      import: withGrowth(imports),
      checks,
    };
  });
}
