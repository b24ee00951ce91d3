/**
 * The per-origin circuit breaker: cockatiel's `CircuitBreakerPolicy` with two changes around it.
 *
 * - **Fail fast while half-open.** cockatiel lets one probe through and makes concurrent callers
 *   wait for its outcome (CircuitBreakerPolicy.execute, `await state.test`); here they are refused
 *   at once with `CircuitOpenError`, so a hundred queued pages do not pile up behind a probe.
 * - **Several successes to close.** cockatiel closes after one successful probe. Here the circuit
 *   stays half-open ("on probation") until `successesToClose` probes in a row succeed, still one
 *   at a time; a failure on probation reopens it at once (the breaker below answers "open").
 *
 * Failures are counted by two rules at once: `consecutiveFailures` in a row (cockatiel's
 * `ConsecutiveBreaker`) or a `failureRatio` over `samplingWindowMs` (its `SamplingBreaker`).
 */
import {
  BrokenCircuitError,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  SamplingBreaker,
  circuitBreaker,
  handleWhen,
  type IBreaker,
} from 'cockatiel';

import { CircuitOpenError, describeError, isNetworkError, isTimeoutError } from '../errors.ts';
import type { BreakerOptions, CircuitStateName } from './types.ts';

/** @internal The breaker options with their defaults applied. */
export type BreakerSettings = Required<BreakerOptions>;

/** @internal */
export const BREAKER_DEFAULTS: BreakerSettings = {
  consecutiveFailures: 5,
  failureRatio: 0.5,
  samplingWindowMs: 30_000,
  minimumRps: 1,
  halfOpenAfterMs: 10_000,
  successesToClose: 2,
};

/** @internal How one attempt ended, for the breaker. */
export type BreakerVerdict = 'success' | 'failure' | 'neutral';

/** @internal Timeouts and connection failures count against an origin; cancellations do not. */
export function isBreakerFailure(error: unknown): boolean {
  return isTimeoutError(error) || isNetworkError(error);
}

/** @internal 5xx, 408 and 429 count against an origin; any other status proves it answers. */
export function isBreakerFailureStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** @internal The verdict on an attempt that returned `{ status }` or raised. */
export function breakerVerdict(
  outcome: { value: { status: number } } | { error: unknown },
): BreakerVerdict {
  if ('value' in outcome)
    return isBreakerFailureStatus(outcome.value.status) ? 'failure' : 'success';

  return isBreakerFailure(outcome.error) ? 'failure' : 'neutral';
}

/** @internal */
export interface OriginBreakerOptions {
  origin: string;
  settings: BreakerSettings;
  /** Whether a thrown error counts against the origin (timeouts and network failures do). */
  isFailureError: (error: unknown) => boolean;
  /** Whether a returned value counts against the origin (5xx, 408, 429 do). */
  isFailureResult: (value: unknown) => boolean;
  onTransition: (from: CircuitStateName, to: CircuitStateName) => void;
  /** Called for each refused attempt. */
  onReject: () => void;
}

/** Both failure rules; either may open. On probation any failure opens. */
class CombinedBreaker implements IBreaker {
  readonly #rules: IBreaker[];
  readonly #isOnProbation: () => boolean;

  constructor(settings: BreakerSettings, isOnProbation: () => boolean) {
    this.#rules = [];
    if (settings.consecutiveFailures > 0) {
      this.#rules.push(new ConsecutiveBreaker(settings.consecutiveFailures));
    }
    if (settings.failureRatio > 0) {
      this.#rules.push(
        new SamplingBreaker({
          threshold: settings.failureRatio,
          duration: settings.samplingWindowMs,
          minimumRps: settings.minimumRps,
        }),
      );
    }
    this.#isOnProbation = isOnProbation;
  }

  get state(): unknown {
    return this.#rules.map((rule) => rule.state);
  }

  set state(value: unknown) {
    if (!Array.isArray(value)) return;
    this.#rules.forEach((rule, index) => {
      rule.state = value[index];
    });
  }

  success(state: CircuitState): void {
    for (const rule of this.#rules) rule.success(state);
  }

  failure(state: CircuitState): boolean {
    // Every rule must hear about the failure, so no short-circuiting `some`.
    let isTripped = this.#isOnProbation();
    for (const rule of this.#rules) isTripped = rule.failure(state) || isTripped;

    return isTripped;
  }
}

/** @internal One origin's breaker; see the file comment. */
export class OriginBreaker {
  readonly #options: OriginBreakerOptions;
  readonly #policy: CircuitBreakerPolicy;
  /** Successful probes still needed after cockatiel closed; > 0 means half-open here. */
  #probation = 0;
  #isProbing = false;
  #openedAt = 0;
  #reported: CircuitStateName = 'closed';

  constructor(options: OriginBreakerOptions) {
    this.#options = options;
    const policy = handleWhen(options.isFailureError).orWhenResult(options.isFailureResult);
    this.#policy = circuitBreaker(policy, {
      halfOpenAfter: options.settings.halfOpenAfterMs,
      breaker: new CombinedBreaker(options.settings, () => this.#probation > 0),
    });
    this.#policy.onBreak(() => {
      this.#probation = 0;
      this.#openedAt = Date.now();
    });
    this.#policy.onStateChange(() => this.#report());
  }

  get state(): CircuitStateName {
    const state = this.#policy.state;
    if (state === CircuitState.Open || state === CircuitState.Isolated) return 'open';
    return state === CircuitState.HalfOpen || this.#probation > 0 ? 'half-open' : 'closed';
  }

  /**
   * Runs one attempt through the breaker. Raises `CircuitOpenError` when the circuit refuses it;
   * `verdict` classifies the outcome the same way the policy does, for the probation count.
   */
  execute<T>(
    attempt: () => Promise<T>,
    verdict: (outcome: { value: T } | { error: unknown }) => BreakerVerdict,
  ): Promise<T> {
    // The common case, kept lean (no async frame of ours): a closed circuit needs no probe
    // bookkeeping.
    if (this.#policy.state === CircuitState.Closed && this.#probation === 0) {
      return this.#policy.execute(attempt);
    }

    return this.#guarded(attempt, verdict);
  }

  async #guarded<T>(
    attempt: () => Promise<T>,
    verdict: (outcome: { value: T } | { error: unknown }) => BreakerVerdict,
  ): Promise<T> {
    const state = this.#policy.state;
    if (state === CircuitState.HalfOpen || (this.#probation > 0 && this.#isProbing)) {
      throw this.#refuse('half-open', null);
    }
    const wasOpen = state === CircuitState.Open;
    const isProbationProbe = this.#probation > 0;
    if (isProbationProbe) this.#isProbing = true;

    let isFirstProbe = false;
    // The verdict of a first probe must be known before cockatiel closes the circuit (right after
    // the attempt settles), or a close would be reported before probation begins.
    const judge = (outcome: { value: T } | { error: unknown }): void => {
      if (isFirstProbe) this.#afterFirstProbe(verdict(outcome));
    };
    const running = this.#policy.execute(() =>
      attempt().then(
        (value) => {
          judge({ value });
          return value;
        },
        (error: unknown) => {
          judge({ error });
          throw error;
        },
      ),
    );
    // cockatiel moves Open -> HalfOpen synchronously inside execute() when it starts a probe.
    isFirstProbe = wasOpen && this.#inner() === CircuitState.HalfOpen;

    try {
      const value = await running;
      if (isProbationProbe) this.#afterProbationProbe(verdict({ value }));
      return value;
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw this.#refuse('open', error);
      if (isProbationProbe) this.#afterProbationProbe(verdict({ error }));
      throw error;
    } finally {
      if (isProbationProbe) this.#isProbing = false;
    }
  }

  /** Read through a call: TypeScript would keep the narrowing of an earlier check otherwise. */
  #inner(): CircuitState {
    return this.#policy.state;
  }

  #afterFirstProbe(result: BreakerVerdict): void {
    // A failure reopens through cockatiel; a probe that proved nothing (cancelled, say) makes
    // cockatiel close all the same, so probation starts from the full count.
    const needed = this.#options.settings.successesToClose;
    if (result === 'success') this.#probation = needed - 1;
    if (result === 'neutral') this.#probation = needed;
  }

  #afterProbationProbe(result: BreakerVerdict): void {
    if (result === 'success' && this.#probation > 0) this.#probation -= 1;
    this.#report();
  }

  #refuse(why: 'open' | 'half-open', cause: unknown): CircuitOpenError {
    this.#options.onReject();
    const { origin, settings } = this.#options;
    if (why === 'half-open') {
      return new CircuitOpenError(
        `Circuit for ${origin} is half-open and its probe is in flight; try again after it`,
        { details: { origin, state: 'half-open', retryAfterMs: null } },
      );
    }

    const retryAfterMs = Math.max(0, this.#openedAt + settings.halfOpenAfterMs - Date.now());
    const last = this.#policy.lastFailure;
    const reason =
      last === undefined
        ? 'repeated failures'
        : 'error' in last
          ? describeError(last.error)
          : 'a failing status';
    return new CircuitOpenError(
      `Circuit for ${origin} is open after ${reason}; next probe in ${retryAfterMs} ms`,
      { cause, details: { origin, state: 'open', retryAfterMs } },
    );
  }

  #report(): void {
    const now = this.state;
    if (now === this.#reported) return;
    const from = this.#reported;
    this.#reported = now;
    this.#options.onTransition(from, now);
  }
}

/** @internal What a set of breakers reports back. */
export interface BreakerHooks {
  onTransition: (origin: string, from: CircuitStateName, to: CircuitStateName) => void;
  onReject: (origin: string) => void;
}

/**
 * @internal The breaker of each origin, made on first use; none at all when `options` is false
 * or turns both failure rules off.
 */
export function createBreakers(
  options: BreakerOptions | false | undefined,
  hooks: BreakerHooks,
): (origin: string) => OriginBreaker | undefined {
  if (options === false) return () => undefined;
  const defined = Object.entries(options ?? {}).filter(([, value]) => value !== undefined);
  const settings: BreakerSettings = { ...BREAKER_DEFAULTS, ...Object.fromEntries(defined) };
  if (settings.consecutiveFailures <= 0 && settings.failureRatio <= 0) return () => undefined;

  const breakers = new Map<string, OriginBreaker>();
  return (origin) => {
    let breaker = breakers.get(origin);
    if (breaker === undefined) {
      breaker = new OriginBreaker({
        origin,
        settings,
        isFailureError: isBreakerFailure,
        isFailureResult: (value) => isBreakerFailureStatus((value as { status: number }).status),
        onTransition: (from, to) => hooks.onTransition(origin, from, to),
        onReject: () => hooks.onReject(origin),
      });
      breakers.set(origin, breaker);
    }

    return breaker;
  };
}
