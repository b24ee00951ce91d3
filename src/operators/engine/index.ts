/** The engine operator: baselines, robust scores, viral labels, patterns and count refresh. */
export { ViralEngineOperator, createEngineOperator } from './engine.ts';
export type { EngineDeps, EngineOutput, ViralPost } from './engine.ts';
export { engineOptions } from './options.ts';
export type { EngineOptions } from './options.ts';
export { computeBaseline, judge, scorePosts } from './baseline.ts';
export type { AccountSummary, Baseline, PostVerdict, ScoringOptions } from './baseline.ts';
export { engagementOf } from './engagement.ts';
export {
  FEATURES,
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
export type { Feature, Patterns } from './patterns.ts';
export { refreshRecent } from './refresh.ts';
export type { RefreshReport } from './refresh.ts';
