/** Typed options of the engine operator, read once from `config.engine` and the profile. */
import type { AppConfig } from '../../config/schema.ts';
import type { PatternOptions } from './patterns.ts';

const HOUR_MS = 3_600_000;

/** How the engine scores posts, predicts young ones and refreshes recent counts. */
export interface EngineOptions {
  /** Robust z-score at or above which a post can be viral. Default 3.5. */
  zThreshold: number;
  /** Ratio to the account median at or above which a post can be viral (both must hold). Default 3. */
  ratioThreshold: number;
  /** Posts with engagement an account needs before it has a baseline. Default 5. */
  minHistory: number;
  /** Most recent posts with engagement a baseline covers. Default 100. */
  baselinePosts: number;
  /** Posts created less than this many hours ago are refreshed. Default 48; 0 turns refresh off. */
  refreshMaxAgeHours: number;
  /**
   * Age at which a post's counts are taken as settled, ms: mature posts form the baseline,
   * younger ones are compared at equal age, and early prediction predicts this age. Default 48 h.
   */
  matureAgeMs: number;
  /** Snapshots within this factor of an age count as "at about" it. Default 1.5. */
  ageTolerance: number;
  /** Training pairs an age needs before its growth term is used. Default 10. */
  predictMinPairs: number;
  /** Lookup requests in flight per platform. 1 in the naive profile, else `scrape.concurrency`. */
  refreshConcurrency: number;
  /** Whether lookups use the adapter's batch size (optimized) or one id per request (naive). */
  isBatched: boolean;
  /** How long refreshed counts are reused from the cache, ms. Default 300000; 0 (and naive): off. */
  refreshCacheTtlMs: number;
  patterns: PatternOptions;
}

/** Reads the engine's options from a validated config. */
export function engineOptions(config: AppConfig): EngineOptions {
  const isNaive = config.profile === 'naive';
  const engine = config.engine;

  return {
    zThreshold: engine.zThreshold,
    ratioThreshold: engine.ratioThreshold,
    minHistory: engine.minHistory,
    baselinePosts: engine.baselinePosts,
    refreshMaxAgeHours: engine.refreshMaxAgeHours,
    matureAgeMs: engine.matureAgeHours * HOUR_MS,
    ageTolerance: engine.ageTolerance,
    predictMinPairs: engine.predictMinPairs,
    refreshConcurrency: isNaive ? 1 : config.scrape.concurrency,
    isBatched: !isNaive,
    refreshCacheTtlMs: isNaive ? 0 : engine.refreshCacheTtlMs,
    patterns: engine.patterns,
  };
}
