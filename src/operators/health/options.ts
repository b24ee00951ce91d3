/** Typed options of the health checks, read once from `config.health`. */
import type { AppConfig } from '../../config/schema.ts';
import type { BreakerOptions } from './breaker.ts';
import type { Thresholds } from './state.ts';

/** How targets are judged and how often they are probed. */
export interface HealthOptions {
  thresholds: Thresholds;
  breaker: BreakerOptions;
  /** Probe interval while up (`flywheel serve`), milliseconds. Default 30000. */
  intervalMs: number;
  /** Probe interval while down (`flywheel serve`), milliseconds. Default 5000. */
  downIntervalMs: number;
  /** Probes in flight at once: all (undefined) in the optimized profile, 1 in the naive one. */
  concurrency: number | undefined;
}

/** Reads the health options from a validated config. */
export function healthOptions(config: AppConfig): HealthOptions {
  const { health } = config;
  return {
    thresholds: { failures: health.failureThreshold, successes: health.successThreshold },
    breaker: {
      threshold: health.breakerThreshold,
      halfOpenMs: health.breakerHalfOpenMs,
      maxHalfOpenMs: health.breakerMaxHalfOpenMs,
    },
    intervalMs: health.intervalMs,
    downIntervalMs: health.downIntervalMs,
    // The naive profile is the benchmarks' baseline: one probe after another.
    concurrency: config.profile === 'naive' ? 1 : undefined,
  };
}
