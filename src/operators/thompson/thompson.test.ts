import { describe, expect, it } from 'vitest';
import { createEngineOperator } from '../engine/engine.ts';
import { createTestContext, makePost } from '../engine/testing.ts';
import { createThompsonOperator } from './thompson.ts';

const NOW = new Date('2024-06-01T12:00:00.000Z');

function seedPosts(ctx: ReturnType<typeof createTestContext>): void {
  const likes = [10, 12, 9, 11, 10, 13, 8, 10, 11, 12];
  ctx.store.upsertPosts([
    ...likes.map((n, i) => makePost('alice', `a${i}`, n)),
    makePost('alice', 'big', 500, { text: 'Why does this work?' }),
  ]);
}

describe('ThompsonSamplingOperator', () => {
  it('applies the engine outcomes once, even when re-run', async () => {
    const engineCtx = createTestContext('engine', { now: NOW, runId: 'run-1' });
    seedPosts(engineCtx);
    const engine = await createEngineOperator({ adapters: {} }).execute(engineCtx);
    const ctx = createTestContext('thompson', {
      now: NOW,
      runId: 'run-1',
      store: engineCtx.store,
      inputs: { engine },
      config: { thompson: { seed: 5, slots: 3 } },
    });

    const first = await createThompsonOperator().execute(ctx);
    const armsAfterFirst = ctx.store.loadArms();
    const second = await createThompsonOperator().execute(ctx);

    expect(first.applied).toEqual({ runId: 'run-1', posts: 11, alreadyCounted: 0 });
    expect(second.applied).toEqual({ runId: 'run-1', posts: 0, alreadyCounted: 11 });
    expect(ctx.store.loadArms()).toEqual(armsAfterFirst);
    expect(armsAfterFirst.find((a) => a.arm === 'hook=question')).toEqual({
      arm: 'hook=question',
      successes: 1,
      failures: 0,
    });
    expect(armsAfterFirst.find((a) => a.arm === 'hook=statement')).toEqual({
      arm: 'hook=statement',
      successes: 0,
      failures: 10,
    });
    expect({ ...second, applied: null }).toEqual({ ...first, applied: null });
    // 3 slots x 7 features, recorded once despite the re-run.
    expect(ctx.store.listDecisions('run-1')).toHaveLength(21);
  });

  it('counts a post again in no later run', async () => {
    const ctx1 = createTestContext('engine', { now: NOW, runId: 'run-1' });
    seedPosts(ctx1);
    const engine1 = await createEngineOperator({ adapters: {} }).execute(ctx1);
    await createThompsonOperator().execute({
      ...ctx1,
      task: 'thompson',
      inputs: { engine: engine1 },
    });

    const ctx2 = { ...ctx1, runId: 'run-2' };
    const engine2 = await createEngineOperator({ adapters: {} }).execute(ctx2);
    const output = await createThompsonOperator().execute({
      ...ctx2,
      task: 'thompson',
      inputs: { engine: engine2 },
    });

    expect(output.applied).toEqual({ runId: 'run-2', posts: 0, alreadyCounted: 11 });
    expect(output.arms.find((a) => a.arm === 'hook=statement')!.failures).toBe(10);
  });

  it('gives the clearly best arm a probability of being best above 0.9', async () => {
    const ctx = createTestContext('thompson', { now: NOW, config: { thompson: { seed: 1 } } });
    ctx.store.incrementArms([
      { arm: 'hook=question', successes: 40, failures: 10 },
      { arm: 'hook=statement', successes: 5, failures: 45 },
      { arm: 'hook=quote', successes: 8, failures: 42 },
    ]);

    const output = await createThompsonOperator().execute(ctx);

    expect(output.arms.map((a) => a.arm)).toEqual([
      'hook=question',
      'hook=quote',
      'hook=statement',
    ]);
    expect(output.arms[0]).toMatchObject({ feature: 'hook', alpha: 41, beta: 11, mean: 41 / 52 });
    expect(output.arms[0]!.probBest).toBeGreaterThan(0.9);
    expect(output.recommendations).toHaveLength(5);
    expect(output.recommendations.every((r) => r.patterns.hook === 'question')).toBe(true);
  });

  it('reproduces its output for a seed and derives the seed from the run id otherwise', async () => {
    const run = async (config: { thompson?: { seed?: number } }, runId: string) => {
      const ctx = createTestContext('thompson', { now: NOW, runId, config });
      ctx.store.incrementArms([
        { arm: 'hook=question', successes: 3, failures: 3 },
        { arm: 'hook=statement', successes: 2, failures: 4 },
        { arm: 'media=video', successes: 1, failures: 1 },
        { arm: 'media=none', successes: 1, failures: 1 },
      ]);
      return createThompsonOperator().execute(ctx);
    };

    const a = await run({ thompson: { seed: 42 } }, 'a');
    const b = await run({ thompson: { seed: 42 } }, 'b');
    expect([b.arms, b.recommendations, b.seed]).toEqual([a.arms, a.recommendations, 42]);
    const derived = await run({}, 'run-x');
    expect(await run({}, 'run-x')).toEqual(derived);
    expect((await run({}, 'run-y')).seed).not.toBe(derived.seed);
  });

  it('weighs old outcomes by the half-life', async () => {
    const ctx = createTestContext('thompson', {
      now: NOW,
      config: { thompson: { seed: 1, halfLifeDays: 7 } },
    });
    const weekAgo = new Date(NOW.getTime() - 7 * 86_400_000).toISOString();
    ctx.store.incrementArms([{ arm: 'hook=question', successes: 8, failures: 8 }], {
      halfLifeDays: 7,
      at: weekAgo,
    });

    const output = await createThompsonOperator().execute(ctx);

    expect(output.arms[0]).toMatchObject({ successes: 4, failures: 4, alpha: 5, beta: 5 });
  });

  it('recommends nothing before any arm exists', async () => {
    const ctx = createTestContext('thompson', { now: NOW });
    const output = await createThompsonOperator().execute(ctx);
    expect(output.arms).toEqual([]);
    expect(output.recommendations).toEqual([]);
    expect(output.applied).toEqual({ runId: 'run-1', posts: 0, alreadyCounted: 0 });
  });
});
