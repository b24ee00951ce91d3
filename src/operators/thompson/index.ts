/**
 * The thompson operator (Beta posteriors, probability-best, batch recommendations, the decision
 * log) and the Thompson-sampling bandit it is built on.
 */
export { ThompsonSamplingOperator, createThompsonOperator } from './thompson.ts';
export type { ArmSummary, ThompsonOutput } from './thompson.ts';
export { thompsonOptions } from './options.ts';
export type { ThompsonOptions } from './options.ts';
export { buildArmTable, drawAll, probabilityBest, recommend } from './sampler.ts';
export { ThompsonBandit } from './bandit.ts';
export type { ThompsonBanditOptions } from './bandit.ts';
export type { ArmPosterior, ArmTable, Recommendation } from './sampler.ts';
