/**
 * Beta posteriors, Monte Carlo probability-best and batch Thompson recommendations, on typed
 * arrays. Arms are grouped by feature (`hook=question` is in group `hook`): only arms of the same
 * feature are alternatives to each other, so "best" and every choice are within a group.
 */
import type { Rng } from '../../stats/index.ts';
import { BetaVector } from '../../stats/index.ts';
import type { ArmState } from '../../store/types.ts';

/** One arm's posterior. */
export interface ArmPosterior {
  arm: string;
  feature: string;
  value: string;
  successes: number;
  failures: number;
  alpha: number;
  beta: number;
  /** alpha / (alpha + beta). */
  mean: number;
}

/** Arms laid out for sampling: parameters in typed arrays, arms grouped by feature. */
export interface ArmTable {
  posteriors: ArmPosterior[];
  alphas: Float64Array;
  betas: Float64Array;
  /** The posteriors with their sampling constants, for Thompson rounds. */
  vector: BetaVector;
  /** Arm indices per feature, features in first-seen order. */
  groups: Map<string, number[]>;
}

/** Splits `feature=value` at the first `=`; an arm without one is its own feature. */
function splitArm(arm: string): { feature: string; value: string } {
  const at = arm.indexOf('=');

  return at < 0
    ? { feature: arm, value: '' }
    : { feature: arm.slice(0, at), value: arm.slice(at + 1) };
}

/** Builds Beta(priorAlpha + successes, priorBeta + failures) for each arm, in the given order. */
export function buildArmTable(
  states: readonly ArmState[],
  priorAlpha: number,
  priorBeta: number,
): ArmTable {
  const alphas = new Float64Array(states.length);
  const betas = new Float64Array(states.length);
  const groups = new Map<string, number[]>();
  const posteriors = states.map((state, index): ArmPosterior => {
    const { feature, value } = splitArm(state.arm);
    // Negative totals (a bad manual edit) would make an invalid Beta; clamp to the prior.
    const alpha = priorAlpha + Math.max(0, state.successes);
    const b = priorBeta + Math.max(0, state.failures);
    alphas[index] = alpha;
    betas[index] = b;
    const group = groups.get(feature);
    if (group === undefined) groups.set(feature, [index]);
    else group.push(index);

    return {
      arm: state.arm,
      feature,
      value,
      successes: state.successes,
      failures: state.failures,
      alpha,
      beta: b,
      mean: alpha / (alpha + b),
    };
  });

  return { posteriors, alphas, betas, vector: BetaVector.from(alphas, betas), groups };
}

/** Draws one Thompson sample of every arm into `out`. */
export function drawAll(table: ArmTable, rng: Rng, out: Float64Array): Float64Array {
  return table.vector.drawAll(rng, out);
}

function argmax(values: Float64Array, indices: readonly number[]): number {
  let best = indices[0] as number;
  for (const index of indices)
    if ((values[index] as number) > (values[best] as number)) best = index;

  return best;
}

/**
 * Estimates, from `draws` joint samples of all arms, each arm's probability of being the best of
 * its feature group (`withinGroup`) and of all arms (`overall`).
 */
export function probabilityBest(
  table: ArmTable,
  draws: number,
  rng: Rng,
): { withinGroup: Float64Array; overall: Float64Array } {
  const n = table.alphas.length;
  const withinGroup = new Float64Array(n);
  const overall = new Float64Array(n);
  if (n === 0 || draws <= 0) return { withinGroup, overall };

  const sample = new Float64Array(n);
  const all = Array.from({ length: n }, (_, i) => i);
  for (let d = 0; d < draws; d++) {
    drawAll(table, rng, sample);
    const top = argmax(sample, all);
    overall[top] = (overall[top] as number) + 1;
    for (const indices of table.groups.values()) {
      const best = argmax(sample, indices);
      withinGroup[best] = (withinGroup[best] as number) + 1;
    }
  }
  for (let i = 0; i < n; i++) {
    withinGroup[i] = (withinGroup[i] as number) / draws;
    overall[i] = (overall[i] as number) / draws;
  }

  return { withinGroup, overall };
}

/** One recommended post: a value per feature. */
export interface Recommendation {
  slot: number;
  /** feature -> value, e.g. `{ hook: 'question', media: 'video' }`. */
  patterns: Record<string, string>;
  /** Each chosen arm's probability of being chosen (best of its group). */
  propensities: Record<string, number>;
  /** The probability of the whole combination: the product of the per-feature propensities. */
  propensity: number;
  /** The chosen arms in feature order, each with its propensity. */
  choices: Array<{ feature: string; arm: string; propensity: number }>;
}

/**
 * Batch Thompson sampling: each slot takes one fresh joint draw and, in every feature group,
 * picks the arm with the highest draw. Independent draws per slot spread a batch over arms in
 * proportion to their chance of being best, which a single argmax would not.
 * @param minPropensity floor of a recorded propensity (the caller passes 1 / (2 * draws)).
 */
export function recommend(
  table: ArmTable,
  slots: number,
  withinGroup: Float64Array,
  rng: Rng,
  minPropensity = 0,
): Recommendation[] {
  if (table.alphas.length === 0) return [];
  const sample = new Float64Array(table.alphas.length);
  const recommendations: Recommendation[] = [];
  for (let slot = 0; slot < slots; slot++) {
    drawAll(table, rng, sample);
    const rec: Recommendation = {
      slot,
      patterns: {},
      propensities: {},
      propensity: 1,
      choices: [],
    };
    for (const [feature, indices] of table.groups) {
      const chosen = argmax(sample, indices);
      const posterior = table.posteriors[chosen] as ArmPosterior;
      // A rare arm can win a slot yet never have won a Monte Carlo draw; a zero propensity
      // would break inverse-propensity estimates offline, hence the floor.
      const propensity = Math.max(withinGroup[chosen] as number, minPropensity);
      rec.patterns[feature] = posterior.value;
      rec.propensities[feature] = propensity;
      rec.propensity *= propensity;
      rec.choices.push({ feature, arm: posterior.arm, propensity });
    }
    recommendations.push(rec);
  }

  return recommendations;
}
