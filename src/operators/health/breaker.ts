/**
 * A circuit breaker per health target (cockatiel), so a dead service is probed at a slowing pace
 * instead of on every round. Its state is saved with the target's record and restored on the
 * next run or server start.
 */
import {
  BrokenCircuitError,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleAll,
  noJitterGenerator,
} from 'cockatiel';

/** When a target's breaker opens and how long it stays open. */
export interface BreakerOptions {
  /** Failed probes in a row that open it. */
  threshold: number;
  /** Wait before the first trial probe, milliseconds; doubles after each failed trial. */
  halfOpenMs: number;
  /** Longest wait between trial probes, milliseconds. */
  maxHalfOpenMs: number;
}

/** The breaker as the report shows it. */
export type BreakerState = 'closed' | 'open' | 'half-open';

interface SavedBreaker {
  ownState?: { value?: number; openedAt?: number; attemptNo?: number };
}

/**
 * Creates a target's breaker, restored from `saved` (cockatiel's `toJSON()` text) when given.
 * A saved state that cannot be read starts the breaker closed.
 */
export function createTargetBreaker(
  options: BreakerOptions,
  saved: string | null,
): CircuitBreakerPolicy {
  const initialState = readSaved(saved);

  return circuitBreaker(handleAll, {
    // No jitter: a handful of targets gains nothing from it, and the report can then say
    // exactly when the next trial probe is due.
    halfOpenAfter: new ExponentialBackoff({
      initialDelay: options.halfOpenMs,
      maxDelay: options.maxHalfOpenMs,
      generator: noJitterGenerator,
    }),
    breaker: new ConsecutiveBreaker(options.threshold),
    ...(initialState === undefined ? {} : { initialState }),
  });
}

/** The breaker's state as a word. */
export function breakerState(breaker: CircuitBreakerPolicy): BreakerState {
  switch (breaker.state) {
    case CircuitState.Open:
    case CircuitState.Isolated:
      return 'open';
    case CircuitState.HalfOpen:
      return 'half-open';
    case CircuitState.Closed:
      return 'closed';
  }
}

/** Epoch ms of the next trial probe of an open breaker, or null when it is not open. */
export function nextTrialAt(breaker: CircuitBreakerPolicy, options: BreakerOptions): number | null {
  const state = (breaker.toJSON() as SavedBreaker).ownState;
  if (state?.value !== CircuitState.Open || state.openedAt === undefined) return null;

  const attempt = Math.max(1, state.attemptNo ?? 1);
  const wait = Math.min(options.maxHalfOpenMs, options.halfOpenMs * 2 ** (attempt - 1));
  return state.openedAt + wait;
}

/** Whether a breaker refused a call because it is open. */
export function isBrokenCircuit(error: unknown): boolean {
  return error instanceof BrokenCircuitError;
}

function readSaved(saved: string | null): unknown {
  if (saved === null) return undefined;
  try {
    const parsed = JSON.parse(saved) as SavedBreaker & { breakerState?: unknown };
    const value = parsed.ownState?.value;
    const isKnown = value === CircuitState.Closed || value === CircuitState.Open;
    return isKnown ? parsed : undefined;
  } catch {
    // A damaged saved state costs the breaker's memory, not the health check.
    return undefined;
  }
}
