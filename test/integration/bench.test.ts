/**
 * `flywheel bench` end to end on a tiny scenario and one pair: the JSON's shape, and the
 * requests and connections, which are exact for a scenario without faults. Never the timings.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResult } from '../../src/bench/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// 3 Bluesky, 2 Mastodon (the first configured by name), 2 Reddit and 1 YouTube accounts of 10
// posts read in 2 pages of 5; one service; two accounts at once.
const SCENARIO = `
seed: 7
accounts: { bluesky: 3, mastodon: 2, reddit: 2, youtube: 1 }
posts: 10
pages: 2
latencyMs: 0
connectLatencyMs: 0
services: 1
concurrency: 2
pairs: 1
requirements:
  maxPeakRssMb: 100000
`;

function runCli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 110_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('flywheel bench on a tiny scenario', () => {
  let dir: string;
  let scenario: string;
  let json: string;
  let result: BenchResult;
  let exit: { code: number | null; stderr: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flywheel-bench-test-'));
    scenario = join(dir, 'scenario.yaml');
    await writeFile(scenario, SCENARIO);
    json = join(dir, 'bench.json');
    exit = await runCli([
      'bench',
      '--scenario',
      scenario,
      '--runtime',
      'tsx',
      '--json',
      json,
      '--markdown',
      join(dir, 'bench.md'),
      '-q',
    ]);
    result = JSON.parse(await readFile(json, 'utf8')) as BenchResult;
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a result of the documented shape, and exits 1 exactly when a requirement failed', async () => {
    expect(result.version).toBe(1);
    expect(Object.keys(result.machine).sort()).toEqual([
      'cpuModel',
      'cpus',
      'node',
      'platform',
      'runtime',
    ]);
    expect(result.machine.runtime).toBe('tsx');
    expect(result.targets.map((target) => target.target)).toEqual([
      'health',
      'scrape',
      'engine',
      'thompson',
      'metrics',
      'run',
    ]);
    for (const target of result.targets) {
      expect(target.ratios).toHaveLength(1);
      expect(target.naive.runs).toBe(1);
      expect(target.optimized.failures).toEqual([]);
      expect(target.naive.failures).toEqual([]);
    }
    expect(result.floor.samples).toHaveLength(1);
    expect(result.scrapeFloor?.floorMs).toBe(0);
    const failed = result.requirements.some((check) => !check.isPass);
    expect(exit.code).toBe(failed ? 1 : 0);
    expect(await readFile(join(dir, 'bench.md'), 'utf8')).toContain('## Before and after');
  });

  it('makes exactly the minimum requests in the optimised profile', () => {
    const byTarget = new Map(result.targets.map((target) => [target.target, target]));
    // 4 platforms + 1 service.
    expect(byTarget.get('health')?.optimized.requests).toBe(5);
    // Bluesky 3 x 2 pages; Mastodon 2 x 3 pages (a full last page links an empty one) + 1 name
    // lookup; Reddit 2 x 2 pages + 1 token; YouTube 2 pages x (playlist + counts).
    expect(byTarget.get('scrape')?.minimumRequests).toBe(6 + 7 + 5 + 4);
    expect(byTarget.get('scrape')?.optimized.requests).toBe(22);
    expect(byTarget.get('scrape')?.naive.requests).toBe(22);
    expect(byTarget.get('metrics')?.optimized.requests).toBe(1);
    expect(byTarget.get('thompson')?.optimized.requests).toBe(0);
    for (const target of result.targets) {
      expect(target.optimized.requests).toBe(target.minimumRequests);
      expect(target.optimized.server.requests).toBe(
        target.optimized.requests + (target.optimized.warm?.requests ?? 0),
      );
    }
  });

  it('opens min(accounts, concurrency) connections cold, none warm, one per request naive', () => {
    const scrape = result.targets.find((target) => target.target === 'scrape')!;
    expect(scrape.optimized.connections).toBe(2);
    expect(scrape.optimized.warm?.connections).toBe(0);
    expect(scrape.optimized.warm?.requests).toBe(22);
    expect(scrape.naive.connections).toBe(22);
    expect(scrape.optimized.server.connections).toBe(2);
    for (const target of result.targets) {
      expect(target.optimized.connections).toBe(target.expectedConnections.cold);
      expect(target.naive.connections).toBe(target.naive.requests);
    }
  });

  it('refreshes through the batch endpoints, one id per request when naive', () => {
    const engine = result.targets.find((target) => target.target === 'engine')!;
    const recent = engine.recentPosts ?? {};
    const posts = Object.values(recent).reduce((sum, count) => sum + count, 0);
    expect(engine.naive.requests).toBe(posts + (recent.reddit ? 1 : 0));
    expect(engine.optimized.cacheHitRatio).toBe(0);
    expect(engine.optimized.warm?.requests).toBe(0);
    expect(engine.optimized.warm?.cacheHitRatio).toBe(1);
  });

  it('compares a second run with the first as a baseline, target by target', async () => {
    const second = join(dir, 'second.json');
    // A tiny scenario's times are all noise: a wide threshold leaves the exact counts to judge.
    const { code } = await runCli([
      'bench',
      '--scenario',
      scenario,
      '--runtime',
      'tsx',
      '--only',
      'scrape',
      '--baseline',
      json,
      '--threshold',
      '100',
      '--json',
      second,
      '-q',
    ]);
    const again = JSON.parse(await readFile(second, 'utf8')) as BenchResult;

    expect(again.baseline?.isSameScenario).toBe(true);
    expect(again.baseline?.rows.map((row) => row.figure)).toEqual([
      'time ratio',
      'wall median',
      'RSS above floor',
      'requests',
      'connections',
    ]);
    expect(again.baseline?.rows.filter((row) => row.isRegression)).toEqual([]);
    const failed = again.requirements.some((check) => !check.isPass);
    expect(code).toBe(failed ? 1 : 0);
  }, 60_000);
});
