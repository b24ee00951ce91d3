/** The engine operator: baselines, robust scores, viral labels, early prediction, patterns, refresh. */
export { ViralEngineOperator, createEngineOperator } from './engine.ts';
export type { EngineDeps, EngineOutput, LabelCounts, RisingPost, ViralPost } from './engine.ts';
export { engineOptions } from './options.ts';
export type { EngineOptions } from './options.ts';
export { computeBaseline, judge } from './baseline.ts';
export type { Baseline, Judgement, Thresholds } from './baseline.ts';
export { scorePosts } from './scoring.ts';
export type {
  AccountSummary,
  BaselineBasis,
  PostVerdict,
  Prediction,
  ScoredPost,
  ScoringOptions,
} from './scoring.ts';
export { ageOf, seriesOf, valueAtAge } from './history.ts';
export type { AgeSeries } from './history.ts';
export { PREDICTION_AGES_HOURS, fitPredictionModels, predictLog } from './prediction.ts';
export type { GrowthStep, HeldOutError, PlatformModel, PredictionOptions } from './prediction.ts';
export { engagementOf } from './engagement.ts';
export {
  FEATURES,
  createPatternExtractor,
  extractPatterns,
  hashtagsOf,
  hookOf,
  lengthOf,
  parseArm,
  patternArms,
  slotOf,
  toneOf,
  weekdayOf,
} from './patterns.ts';
export type { Feature, PatternExtractor, PatternOptions, Patterns } from './patterns.ts';
export { refreshRecent } from './refresh.ts';
export type { PlatformRefresh, RefreshReport } from './refresh.ts';
