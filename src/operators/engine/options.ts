/** Typed options of the engine operator, read once from `config.engine` and the profile. */
import type { AppConfig } from '../../config/schema.ts';

/** How the engine scores posts and refreshes recent counts. */
export interface EngineOptions {
  /** Robust z-score at or above which a post can be viral. Default 3.5. */
  zThreshold: number;
  /** Ratio to the account median at or above which a post can be viral (both must hold). Default 3. */
  ratioThreshold: number;
  /** Posts with engagement an account needs before it has a baseline. Default 5. */
  minHistory: number;
  /** Posts created less than this many hours ago are refreshed. Default 48; 0 turns refresh off. */
  refreshMaxAgeHours: number;
  /** Age at which a post's counts are taken as settled, for baselines. Default 48 hours. */
  matureAgeMs: number;
  /** Lookup requests in flight per platform. 1 in the naive profile, else `scrape.concurrency`. */
  refreshConcurrency: number;
  /** Whether lookups use the adapter's batch size (optimized) or one id per request (naive). */
  isBatched: boolean;
}

/** Reads the engine's options from a validated config. */
export function engineOptions(config: AppConfig): EngineOptions {
  const isNaive = config.profile === 'naive';

  return {
    zThreshold: config.engine.zThreshold,
    ratioThreshold: config.engine.ratioThreshold,
    minHistory: config.engine.minHistory,
    refreshMaxAgeHours: config.engine.refreshMaxAgeHours,
    matureAgeMs: config.engine.matureAgeHours * 3_600_000,
    refreshConcurrency: isNaive ? 1 : config.scrape.concurrency,
    isBatched: !isNaive,
  };
}
