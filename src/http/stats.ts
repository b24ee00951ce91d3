import type { CircuitStateName, HttpStats, OriginStats } from './types.ts';

type Counter = Exclude<keyof OriginStats, 'origin' | 'circuitState' | 'responses'>;

/**
 * The share of requests that rode a connection already open: 1 - connections / requests, within
 * [0, 1]. Null when there is nothing to claim: no request was written, or none got an answer
 * (a request written on a stale kept-alive socket that the server had closed, then refused on
 * reconnect, was not reused: showing 100% for it would be false). Figures without `responses`
 * (built by hand, or stored before it was counted) are judged on `requests` alone.
 *
 * @example
 * reuseRatio({ requests: 212, connections: 13, responses: 212 }); // 0.9387
 * reuseRatio({ requests: 3, connections: 0, responses: 0 }); // null
 */
export function reuseRatio(figures: {
  requests: number;
  connections: number;
  responses?: number | undefined;
}): number | null {
  if (figures.requests <= 0 || figures.responses === 0) return null;

  return Math.min(1, Math.max(0, 1 - figures.connections / figures.requests));
}

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
    return totalled([...this.#byOrigin.values()].map((entry) => ({ ...entry })));
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

const COUNTERS = [
  'requests',
  'connections',
  'bytesIn',
  'bytesOut',
  'retries',
  'waitMs',
  'errors',
  'rateLimitWaits',
  'rateLimitWaitMs',
  'circuitOpens',
  'circuitRejections',
] as const satisfies readonly Counter[];

/** A client's figures from its per-origin counts. */
function totalled(byOrigin: OriginStats[]): HttpStats {
  const total = (counter: Counter): number =>
    byOrigin.reduce((sum, entry) => sum + entry[counter], 0);
  const requests = total('requests');
  const connections = total('connections');
  const responses = byOrigin.reduce((sum, entry) => sum + (entry.responses ?? 0), 0);

  return {
    requests,
    responses,
    connections,
    bytesIn: total('bytesIn'),
    bytesOut: total('bytesOut'),
    retries: total('retries'),
    waitMs: total('waitMs'),
    errors: total('errors'),
    reuseRatio: reuseRatio({ requests, connections, responses }),
    byOrigin,
  };
}

/**
 * What one client did between two of its snapshots: every count the difference, each circuit's
 * state the later one. Origins with nothing to show in between are left out.
 */
export function statsSince(before: HttpStats, after: HttpStats): HttpStats {
  const earlier = new Map(before.byOrigin.map((entry) => [entry.origin, entry]));
  const byOrigin = after.byOrigin.map((entry) => {
    const old = earlier.get(entry.origin);
    const delta: OriginStats = { ...entry };
    for (const counter of COUNTERS) delta[counter] = entry[counter] - (old?.[counter] ?? 0);
    if (entry.responses !== undefined) delta.responses = entry.responses - (old?.responses ?? 0);
    return delta;
  });

  return totalled(byOrigin.filter((entry) => entry.requests > 0 || entry.errors > 0));
}

/** A client's figures before its first request: every count 0, no origin, no reuse ratio. */
export function emptyHttpStats(): HttpStats {
  return new StatsTracker().snapshot();
}

/** An origin's figures before its first request: every count 0, the circuit closed. */
export function emptyOriginStats(origin: string): OriginStats {
  return {
    origin,
    requests: 0,
    responses: 0,
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
