/** The thompson operator: Beta posteriors, probability-best and batch recommendations. */
export { ThompsonSamplingOperator, createThompsonOperator } from './thompson.ts';
export type { ArmSummary, ThompsonOutput } from './thompson.ts';
export { thompsonOptions } from './options.ts';
export type { ThompsonOptions } from './options.ts';
export { buildArmTable, drawAll, probabilityBest, recommend } from './sampler.ts';
export type { ArmPosterior, ArmTable, Recommendation } from './sampler.ts';
