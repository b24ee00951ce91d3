/**
 * The HTTP layer's per-origin metrics beyond requests and connections: retries, errors, bytes,
 * waits, rate-limit waits and the circuit breakers (their state in the shared
 * `flywheel_circuit_breaker_state`, scope `http`). Fed from cumulative `HttpStats` snapshots.
 * @internal
 */
import { Counter, Gauge, type Registry } from 'prom-client';

import type { CircuitStateName, HttpStats } from '../http/types.ts';

const CIRCUIT_STATES: CircuitStateName[] = ['closed', 'half-open', 'open'];

/** @internal Adds the growth of a cumulative figure since it was last seen under `key`. */
export type Growth = (key: string, value: number) => number;

/** @internal The breaker state family every kind of breaker shares. */
export type BreakerStateGauge = Gauge<'scope' | 'name' | 'state'>;

/**
 * @internal Registers the families on `registry`; returns the call that feeds them, which also
 * sets each origin's breaker in `breakerState` (scope `http`, name the origin).
 */
export function createHttpDetailMetrics(
  registry: Registry,
  breakerState: BreakerStateGauge,
): (stats: HttpStats, growth: Growth) => void {
  const registers = [registry];
  const byOrigin = ['origin'] as const;
  const retries = new Counter({
    name: 'flywheel_http_retries_total',
    help: 'Attempts after the first, stale-socket replays included.',
    labelNames: byOrigin,
    registers,
  });
  const errors = new Counter({
    name: 'flywheel_http_errors_total',
    help: 'Requests that failed after all their attempts.',
    labelNames: byOrigin,
    registers,
  });
  const bytes = new Counter({
    name: 'flywheel_http_bytes_total',
    help: 'Body bytes sent (out) and received before decoding (in).',
    labelNames: ['origin', 'direction'] as const,
    registers,
  });
  const waits = new Counter({
    name: 'flywheel_http_wait_seconds_total',
    help: 'Time requests waited before an attempt: backoff and rate limits.',
    labelNames: byOrigin,
    registers,
  });
  const rateWaits = new Counter({
    name: 'flywheel_http_rate_limit_waits_total',
    help: 'Attempts that waited for a rate limit (a configured rate, a quota or Retry-After).',
    labelNames: byOrigin,
    registers,
  });
  const rateWaitSeconds = new Counter({
    name: 'flywheel_http_rate_limit_wait_seconds_total',
    help: 'Time attempts waited for rate limits.',
    labelNames: byOrigin,
    registers,
  });
  const opens = new Counter({
    name: 'flywheel_http_circuit_opens_total',
    help: 'Times the circuit of an origin opened.',
    labelNames: byOrigin,
    registers,
  });
  const rejections = new Counter({
    name: 'flywheel_http_circuit_rejections_total',
    help: 'Attempts refused by an open or half-open circuit.',
    labelNames: byOrigin,
    registers,
  });

  return (stats, growth) => {
    for (const entry of stats.byOrigin) {
      const { origin } = entry;
      const labels = { origin };
      retries.inc(labels, growth(`retries ${origin}`, entry.retries));
      errors.inc(labels, growth(`errors ${origin}`, entry.errors));
      bytes.inc({ origin, direction: 'in' }, growth(`bytesIn ${origin}`, entry.bytesIn));
      bytes.inc({ origin, direction: 'out' }, growth(`bytesOut ${origin}`, entry.bytesOut));
      waits.inc(labels, growth(`waitMs ${origin}`, entry.waitMs) / 1000);
      rateWaits.inc(labels, growth(`rateLimitWaits ${origin}`, entry.rateLimitWaits));
      const rateMs = growth(`rateLimitWaitMs ${origin}`, entry.rateLimitWaitMs);
      rateWaitSeconds.inc(labels, rateMs / 1000);
      opens.inc(labels, growth(`circuitOpens ${origin}`, entry.circuitOpens));
      rejections.inc(labels, growth(`circuitRejections ${origin}`, entry.circuitRejections));
      for (const state of CIRCUIT_STATES) {
        const series = { scope: 'http', name: origin, state };
        breakerState.set(series, entry.circuitState === state ? 1 : 0);
      }
    }
  };
}
