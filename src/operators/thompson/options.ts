/** Typed options of the thompson operator, read once from `config.thompson`. */
import type { AppConfig } from '../../config/schema.ts';

/** How the bandit forms posteriors and recommendations. */
export interface ThompsonOptions {
  /** Beta prior alpha (pseudo-successes) of every arm. Default 1. */
  priorAlpha: number;
  /** Beta prior beta (pseudo-failures) of every arm. Default 1. */
  priorBeta: number;
  /** Recommendations made per run. Default 5. */
  slots: number;
  /** Monte Carlo draws for the probability that each arm is best. Default 2000. */
  probBestDraws: number;
  /** Seed of the sampler; default: derived from the run id, so a run is reproducible. */
  seed: number | undefined;
  /**
   * Days after which an outcome weighs half, for drifting tastes: counts decay exponentially with
   * their age. Default undefined: outcomes are never forgotten.
   */
  halfLifeDays: number | undefined;
}

/** Reads the thompson options from a validated config. */
export function thompsonOptions(config: AppConfig): ThompsonOptions {
  return {
    priorAlpha: config.thompson.priorAlpha,
    priorBeta: config.thompson.priorBeta,
    slots: config.thompson.slots,
    probBestDraws: config.thompson.probBestDraws,
    seed: config.thompson.seed,
    halfLifeDays: config.thompson.halfLifeDays,
  };
}
