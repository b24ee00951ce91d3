/**
 * Evaluation built into the product: Flywheel's Thompson sampling replayed on real data sets
 * (`flywheel evaluate upworthy`, `flywheel evaluate obd`), and the off-policy estimators behind it.
 */
export { evaluateUpworthy, summarize } from './upworthy.ts';
export type { UpworthyOptions, UpworthyReport, UpworthyRow } from './upworthy.ts';
export { BATCHLESS, POLICIES, simulateTest } from './bandit-sim.ts';
export type { PolicyName, PolicyResult, SimulationOptions, TestResult } from './bandit-sim.ts';
export { loadHeadlineTests } from './upworthy-data.ts';
export type { HeadlineTest, HeadlineTests } from './upworthy-data.ts';
export { TRAIN_SOURCES, evaluateObd } from './obd.ts';
export type { ObdOptions, ObdReport, RateEstimate, TrainSource } from './obd.ts';
export { loadBanditLog } from './obd-data.ts';
export type { BanditLog } from './obd-data.ts';
export {
  bootstrapIntervals,
  clopperPearson,
  effectiveSampleSize,
  estimate,
  sumLog,
} from './estimators.ts';
export type { EstimatorSums, Estimates, Interval, PreparedLog } from './estimators.ts';
export { renderObd, renderUpworthy } from './render.ts';
