/** The demo's run, in process, with a fixed seed: every task succeeds and the planted viral posts are found. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConfig, SIM_CREDENTIALS } from '../../src/cli/demo.ts';
import { runFlywheel, type RunOutcome } from '../../src/pipeline/flywheel.ts';
import { startSimulator, type PlantedPost, type Simulator } from '../../src/sim/index.ts';

describe('the demo run (seed 7)', () => {
  let dir: string;
  let sim: Simulator;
  let outcome: RunOutcome;
  let planted: PlantedPost[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flywheel-demo-'));
    sim = await startSimulator({ seed: 7 });
    planted = sim.truth();
    outcome = await runFlywheel({
      config: demoConfig(sim, { storePath: join(dir, 'demo.sqlite'), seed: 7 }),
      env: SIM_CREDENTIALS,
    });
  });

  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('succeeds in every task', () => {
    expect(outcome.report.status).toBe('succeeded');
    expect(outcome.report.tasks.map((task) => [task.name, task.status])).toEqual([
      ['health', 'succeeded'],
      ['scrape', 'succeeded'],
      ['engine', 'succeeded'],
      ['thompson', 'succeeded'],
      ['metrics', 'succeeded'],
    ]);
    expect(outcome.report.problems).toEqual([]);
  });

  it('stores every simulated post once', () => {
    const accounts = sim.config().accounts.length;
    expect(outcome.report.posts.total).toBe(accounts * 60);
    expect(outcome.report.posts.new).toBe(accounts * 60);
  });

  it('labels every planted viral post viral', () => {
    expect(planted.length).toBeGreaterThan(0);
    const viral = new Set(outcome.report.viral.map((post) => `${post.platform}:${post.postId}`));
    const missed = planted.filter((post) => !viral.has(`${post.platform}:${post.postId}`));
    expect(missed).toEqual([]);
  });

  it('learns arms and recommends patterns', () => {
    expect(outcome.report.arms.length).toBeGreaterThan(0);
    expect(outcome.report.recommendations).toHaveLength(5);
    expect(outcome.report.metrics.every((service) => service.ok)).toBe(true);
  });

  it('reuses pooled connections', () => {
    const scrape = outcome.report.tasks.find((task) => task.name === 'scrape')!;
    expect(scrape.connections).toBeLessThanOrEqual(scrape.requests);
    expect(outcome.report.http.reuseRatio).toBeGreaterThan(0.9);
  });
});
