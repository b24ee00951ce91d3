import type { CircuitStateName, HttpStats, OriginStats } from './types.ts';

type Counter = Exclude<keyof OriginStats, 'origin' | 'circuitState'>;

/** @internal Exact per-origin counts of one client; each client owns its own instance. */
export class StatsTracker {
  readonly #byOrigin = new Map<string, OriginStats>();

  add(origin: string, counter: Counter, amount = 1): void {
    this.entry(origin)[counter] += amount;
  }

  setCircuit(origin: string, state: CircuitStateName): void {
    this.entry(origin).circuitState = state;
  }

  snapshot(): HttpStats {
    const byOrigin = [...this.#byOrigin.values()].map((entry) => ({ ...entry }));
    const total = (counter: Counter): number =>
      byOrigin.reduce((sum, entry) => sum + entry[counter], 0);
    const requests = total('requests');
    const connections = total('connections');

    return {
      requests,
      connections,
      bytesIn: total('bytesIn'),
      bytesOut: total('bytesOut'),
      retries: total('retries'),
      waitMs: total('waitMs'),
      errors: total('errors'),
      reuseRatio: requests === 0 ? null : 1 - connections / requests,
      byOrigin,
    };
  }

  /** The live counts of an origin, for callers that bump several counters per request. */
  entry(origin: string): OriginStats {
    let entry = this.#byOrigin.get(origin);
    if (entry === undefined) {
      entry = emptyOriginStats(origin);
      this.#byOrigin.set(origin, entry);
    }

    return entry;
  }
}

/** An origin's figures before its first request: every count 0, the circuit closed. */
export function emptyOriginStats(origin: string): OriginStats {
  return {
    origin,
    requests: 0,
    connections: 0,
    bytesIn: 0,
    bytesOut: 0,
    retries: 0,
    waitMs: 0,
    errors: 0,
    rateLimitWaits: 0,
    rateLimitWaitMs: 0,
    circuitState: 'closed',
    circuitOpens: 0,
    circuitRejections: 0,
  };
}
