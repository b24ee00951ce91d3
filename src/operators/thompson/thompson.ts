/**
 * The ThompsonSamplingOperator: applies the engine's pattern outcomes to the arms (each post
 * once, atomically), forms Beta posteriors, estimates each arm's probability of being best and
 * recommends the next posts' patterns, logging every decision with its propensity.
 */
import type { Operator, TaskContext } from '../../pipeline/types.ts';
import { createRng, hashSeed } from '../../stats/index.ts';
import type { Decision } from '../../store/types.ts';
import { thompsonOptions } from './options.ts';
import { buildArmTable, probabilityBest, recommend } from './sampler.ts';
import type { Recommendation } from './sampler.ts';

/** One arm in the output. */
export interface ArmSummary {
  arm: string;
  feature: string;
  successes: number;
  failures: number;
  alpha: number;
  beta: number;
  mean: number;
  /** Probability of being the best arm of its feature (Monte Carlo). */
  probBest: number;
  /** Probability of being the best of all arms, across features (same draws). */
  probBestOverall: number;
}

/** The thompson task's output. */
export interface ThompsonOutput {
  /** Arms by posterior mean, highest first. */
  arms: ArmSummary[];
  recommendations: Recommendation[];
  /** Outcomes applied in this task: posts counted now, and posts an earlier run had counted. */
  applied: { runId: string; posts: number; alreadyCounted: number };
  /** The seed used, so the draw can be repeated. */
  seed: number;
}

function engineRunId(ctx: TaskContext): string {
  const engine = ctx.inputs.engine;
  if (typeof engine === 'object' && engine !== null) {
    const runId = (engine as { runId?: unknown }).runId;
    if (typeof runId === 'string' && runId !== '') return runId;
  }
  // Without the engine's output the scores, if any, are this run's.
  return ctx.runId;
}

/** The thompson operator; create it with `createThompsonOperator`. */
export class ThompsonSamplingOperator implements Operator<ThompsonOutput> {
  readonly name = 'thompson' as const;
  readonly dependsOn = ['engine'] as const;

  execute(ctx: TaskContext): Promise<ThompsonOutput> {
    return Promise.resolve(this.#run(ctx));
  }

  #run(ctx: TaskContext): ThompsonOutput {
    const options = thompsonOptions(ctx.config);
    const logger = ctx.logger.child({ component: 'thompson' });
    const decidedAt = ctx.now().toISOString();

    // Marking posts counted and incrementing arms share one transaction, so a retried task or a
    // re-run of the same run adds nothing twice.
    const sourceRunId = engineRunId(ctx);
    const halfLifeDays = options.halfLifeDays;
    const applied = ctx.store.applyOutcomes(sourceRunId, decidedAt, { halfLifeDays });
    logger.debug({ runId: sourceRunId, posts: applied.posts }, 'outcomes applied');

    const seed = options.seed ?? hashSeed(ctx.runId);
    const rng = createRng(seed);
    // With a half-life the posteriors use the counts as they weigh now, not as last stored.
    const states = ctx.store.loadArms(
      halfLifeDays === undefined ? undefined : { halfLifeDays, at: decidedAt },
    );
    const table = buildArmTable(states, options.priorAlpha, options.priorBeta);
    const { withinGroup, overall } = probabilityBest(table, options.probBestDraws, rng);
    const recommendations = recommend(
      table,
      options.slots,
      withinGroup,
      rng,
      1 / (2 * options.probBestDraws),
    );

    const decisions: Decision[] = recommendations.flatMap((rec) =>
      rec.choices.map((choice) => ({
        runId: ctx.runId,
        slot: rec.slot,
        arm: choice.arm,
        propensity: choice.propensity,
        decidedAt,
      })),
    );
    ctx.store.recordDecisions(decisions);

    const arms = table.posteriors
      .map((p, i): ArmSummary => ({
        arm: p.arm,
        feature: p.feature,
        successes: p.successes,
        failures: p.failures,
        alpha: p.alpha,
        beta: p.beta,
        mean: p.mean,
        probBest: withinGroup[i] as number,
        probBestOverall: overall[i] as number,
      }))
      .sort((a, b) => b.mean - a.mean || a.arm.localeCompare(b.arm));
    logger.info({ arms: arms.length, slots: recommendations.length, seed }, 'recommendations made');

    return {
      arms,
      recommendations,
      applied: { runId: sourceRunId, posts: applied.posts, alreadyCounted: applied.alreadyCounted },
      seed,
    };
  }
}

/**
 * Creates the thompson operator (task `thompson`, after `engine`).
 * @example
 * const output = await createThompsonOperator().execute(ctx);
 * console.log(output.recommendations[0]?.patterns);
 */
export function createThompsonOperator(): ThompsonSamplingOperator {
  return new ThompsonSamplingOperator();
}
