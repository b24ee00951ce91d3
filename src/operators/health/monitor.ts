/**
 * Keeps the health of a set of targets: probes them in parallel, applies the failure and success
 * thresholds, guards each with a breaker, remembers it all in the store, and (for
 * `flywheel serve`) re-probes on a schedule: every `intervalMs` while up, every `downIntervalMs`
 * while down, never while a breaker is open.
 */
import { EventEmitter } from 'node:events';
import type { CircuitBreakerPolicy } from 'cockatiel';
import { describeError } from '../../errors.ts';
import { mapBounded } from '../../http/batch.ts';
import { callObserver, silentLogger, type Logger } from '../../observe/logger.ts';
import type { HealthRecord, Store } from '../../store/types.ts';
import type { CheckResult } from './bounded.ts';
import {
  breakerState,
  createTargetBreaker,
  isBrokenCircuit,
  nextTrialAt,
  type BreakerOptions,
  type BreakerState,
} from './breaker.ts';
import {
  NEW_TARGET,
  nextRecord,
  type TargetRecord,
  type TargetState,
  type Thresholds,
} from './state.ts';
import type { CheckKind, HealthTarget, ProbeKind } from './targets.ts';

/** One target after a probe (or a skipped one). */
export interface HealthCheck {
  name: string;
  kind: CheckKind;
  probe: ProbeKind;
  /** What was probed: a URL (password masked), `host:port` or the store path. */
  target: string;
  /** Whether this probe succeeded (false when it was skipped). */
  ok: boolean;
  /** The state after the thresholds: a failed probe may leave a target up. */
  state: TargetState;
  status?: number;
  latencyMs: number;
  error?: string;
  /** True when the state could not be known (no recorded answer in a replayed run). */
  isUnknown?: boolean;
  /** Consecutive failed probes. */
  failures: number;
  /** Consecutive successful probes. */
  successes: number;
  /** ISO time the state last changed, when known. */
  since: string | null;
  breaker: BreakerState;
  /** Not probed: its breaker is open. */
  isSkipped?: boolean;
  isCritical: boolean;
}

/** Options of `HealthMonitor`. */
export interface HealthMonitorOptions {
  targets: readonly HealthTarget[];
  thresholds: Thresholds;
  breaker: BreakerOptions;
  /** Probe interval of an up target in `start()`, milliseconds. */
  intervalMs: number;
  /** Probe interval of a down target in `start()`, milliseconds (shorter, to see it return). */
  downIntervalMs: number;
  /** Where records are loaded from at construction and saved after each round. Default: none. */
  store?: Store;
  /** Default: silent. */
  logger?: Logger;
  /** Default: the system clock. */
  now?: () => Date;
  /** Probes in flight at once; 1 probes one target after another. Default: all at once. */
  concurrency?: number;
}

/** Events of a `HealthMonitor`. */
export interface HealthMonitorEvents {
  /** A target changed state. */
  change: [check: HealthCheck, from: TargetState];
  /** One target's probe ended (or was skipped). */
  check: [check: HealthCheck];
  /** A round ended with these checks. */
  round: [checks: HealthCheck[]];
  /** Saving the records failed; the monitor goes on. */
  error: [error: unknown];
}

class ProbeFailure extends Error {
  constructor(readonly result: CheckResult) {
    super(result.error ?? 'probe failed');
  }
}

/**
 * Probes targets and keeps their state.
 *
 * @example
 * const monitor = new HealthMonitor({ targets, thresholds: { failures: 3, successes: 1 }, ... });
 * const checks = await monitor.round();
 * monitor.start(); // serve: re-probe on schedule until stop()
 */
export class HealthMonitor extends EventEmitter<HealthMonitorEvents> {
  readonly #options: HealthMonitorOptions;
  readonly #logger: Logger;
  readonly #now: () => Date;
  readonly #records = new Map<string, TargetRecord>();
  readonly #breakers = new Map<string, CircuitBreakerPolicy>();
  readonly #latest = new Map<string, HealthCheck>();
  readonly #nextAt = new Map<string, number>();
  /** Each breaker's saved state just before its latest probe. */
  readonly #beforeProbe = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #stopping: AbortController | undefined;

  constructor(options: HealthMonitorOptions) {
    super();
    this.#options = options;
    this.#logger = (options.logger ?? silentLogger).child({ component: 'health' });
    this.#now = options.now ?? (() => new Date());
    const saved = new Map(this.#load().map((record) => [record.target, record]));
    for (const target of options.targets) {
      const record = saved.get(target.id);
      this.#records.set(target.id, record === undefined ? NEW_TARGET : fromStored(record));
      this.#breakers.set(target.id, createTargetBreaker(options.breaker, record?.breaker ?? null));
    }
  }

  /**
   * Probes every target (or only those due, for the schedule) at once; never throws, even when a
   * listener of its events does.
   */
  async round(options: { signal?: AbortSignal; onlyDue?: boolean } = {}): Promise<HealthCheck[]> {
    const nowMs = this.#now().getTime();
    const due = this.#options.targets.filter(
      (target) => options.onlyDue !== true || (this.#nextAt.get(target.id) ?? 0) <= nowMs,
    );
    const checks = await this.#probeAll(due, options.signal);

    this.#save(due);
    this.#notify('round', () => this.emit('round', checks));
    return checks;
  }

  async #probeAll(
    targets: readonly HealthTarget[],
    signal: AbortSignal | undefined,
  ): Promise<HealthCheck[]> {
    const limit = this.#options.concurrency;
    if (limit === undefined || limit >= targets.length) {
      return Promise.all(targets.map((target) => this.#probe(target, signal)));
    }
    // The signal goes to each probe, which settles as aborted; mapBounded must still start them.
    const settled = await mapBounded(targets, limit, (target) => this.#probe(target, signal));

    return settled.map((result) => {
      if (!result.ok) throw result.error;
      return result.value;
    });
  }

  /** The latest check of every target; targets not probed yet by this monitor show their record. */
  checks(): HealthCheck[] {
    return this.#options.targets.map(
      (target) => this.#latest.get(target.id) ?? this.#describe(target, this.#unprobed(target)),
    );
  }

  /** Whether every critical target is up (or not known to be down). */
  isHealthy(): boolean {
    return this.checks().every((check) => !check.isCritical || check.state !== 'down');
  }

  /** Starts probing on schedule: a first round now, then each target when due. */
  start(): void {
    if (this.#stopping !== undefined) return;
    this.#stopping = new AbortController();
    this.#plan(0);
  }

  /** Stops the schedule and waits for a round in progress (its probes are aborted). */
  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#stopping?.abort();
    await this.#running;
    this.#stopping = undefined;
  }

  #plan(delayMs: number): void {
    this.#timer = setTimeout(() => {
      const signal = this.#stopping?.signal;
      if (signal === undefined || signal.aborted) return;
      // Nothing awaits a scheduled round until stop(): a rejection here would go unhandled.
      this.#running = this.round({ signal, onlyDue: true })
        .catch((error: unknown) => {
          this.#logger.error({ error: describeError(error) }, 'health round failed');
        })
        .finally(() => {
          if (!signal.aborted) this.#plan(this.#untilNext());
        });
    }, delayMs);
    this.#timer.unref();
  }

  #untilNext(): number {
    const nowMs = this.#now().getTime();
    const next = Math.min(
      ...this.#options.targets.map((target) => this.#nextAt.get(target.id) ?? nowMs),
    );
    return Math.max(0, next - nowMs);
  }

  async #probe(target: HealthTarget, signal: AbortSignal | undefined): Promise<HealthCheck> {
    const before = this.#records.get(target.id) ?? NEW_TARGET;
    if (target.staticFailure !== undefined) {
      const record = { ...before, state: 'down' as const, lastError: target.staticFailure };
      return this.#settle(target, before, record, {
        ok: false,
        latencyMs: 0,
        error: target.staticFailure,
      });
    }

    const breaker = this.#breakers.get(target.id)!;
    const { result, isSkipped } = await this.#throughBreaker(target, breaker, signal);
    const isDefinite = !isSkipped && result.isUnknown !== true;
    if (result.isUnknown === true && !isSkipped) this.#undoVerdict(target, breaker);
    const at = this.#now().toISOString();
    const record = isDefinite ? nextRecord(before, result, this.#options.thresholds, at) : before;

    return this.#settle(target, before, record, result, isSkipped);
  }

  async #throughBreaker(
    target: HealthTarget,
    breaker: CircuitBreakerPolicy,
    signal: AbortSignal | undefined,
  ): Promise<{ result: CheckResult; isSkipped: boolean }> {
    this.#beforeProbe.set(target.id, JSON.stringify(breaker.toJSON()));
    try {
      const result = await breaker.execute(async () => {
        const outcome = await target.run(signal ?? new AbortController().signal);
        // Throwing is how the breaker learns of a failure; the result travels inside.
        if (!outcome.ok && outcome.isUnknown !== true) throw new ProbeFailure(outcome);
        return outcome;
      });
      return { result, isSkipped: false };
    } catch (error) {
      if (error instanceof ProbeFailure) return { result: error.result, isSkipped: false };
      if (!isBrokenCircuit(error)) {
        return {
          result: { ok: false, latencyMs: 0, error: describeError(error) },
          isSkipped: false,
        };
      }
      const trial = nextTrialAt(breaker, this.#options.breaker);
      const when = trial === null ? 'later' : `after ${new Date(trial).toISOString()}`;
      const error_ = `not probed: breaker open after repeated failures; next trial ${when}`;
      return { result: { ok: false, latencyMs: 0, error: error_ }, isSkipped: true };
    }
  }

  /**
   * An unknown answer (no recorded answer in a replayed run) says nothing about the target, but
   * cockatiel has counted it as a success by now: it reset the failure streak, or closed a
   * half-open breaker. The breaker goes back to the state it had before the probe.
   */
  #undoVerdict(target: HealthTarget, breaker: CircuitBreakerPolicy): void {
    const before = this.#beforeProbe.get(target.id) ?? null;
    if (before === JSON.stringify(breaker.toJSON())) return;
    this.#breakers.set(target.id, createTargetBreaker(this.#options.breaker, before));
  }

  #settle(
    target: HealthTarget,
    before: TargetRecord,
    record: TargetRecord,
    result: CheckResult,
    isSkipped = false,
  ): HealthCheck {
    this.#records.set(target.id, record);
    const check = this.#describe(target, { ...result, record, isSkipped });
    this.#latest.set(target.id, check);
    this.#schedule(target, record);
    this.#notify('check', () => this.emit('check', check));

    if (record.state !== before.state) {
      const fields = {
        target: target.id,
        from: before.state,
        to: record.state,
        error: result.error,
      };
      if (record.state === 'down') this.#logger.warn(fields, 'target down');
      else this.#logger.info(fields, 'target up');
      this.#notify('change', () => this.emit('change', check, before.state));
    }
    return check;
  }

  /**
   * Emits `event` to its listeners. One that throws is logged and stops the listeners after it,
   * never the probes, the save of the records or the schedule: a listener only observes.
   */
  #notify(event: keyof HealthMonitorEvents, emit: () => boolean): void {
    callObserver(this.#logger, event, 'health listener failed', emit);
  }

  #schedule(target: HealthTarget, record: TargetRecord): void {
    const nowMs = this.#now().getTime();
    const interval =
      record.state === 'down' ? this.#options.downIntervalMs : this.#options.intervalMs;
    const trial = nextTrialAt(this.#breakers.get(target.id)!, this.#options.breaker);
    this.#nextAt.set(target.id, Math.max(nowMs + interval, trial ?? 0));
  }

  #unprobed(target: HealthTarget): CheckResult & { record: TargetRecord } {
    const record = this.#records.get(target.id) ?? NEW_TARGET;
    const error = record.state === 'down' ? (record.lastError ?? undefined) : undefined;
    return { ok: record.state === 'up', latencyMs: 0, record, ...(error ? { error } : {}) };
  }

  #describe(
    target: HealthTarget,
    result: CheckResult & { record: TargetRecord; isSkipped?: boolean },
  ): HealthCheck {
    const { record } = result;
    return {
      name: target.name,
      kind: target.kind,
      probe: target.probe,
      target: target.target,
      ok: result.ok,
      state: record.state,
      ...(result.status === undefined ? {} : { status: result.status }),
      latencyMs: result.latencyMs,
      ...(result.error === undefined ? {} : { error: result.error }),
      ...(result.isUnknown ? { isUnknown: true } : {}),
      failures: record.failures,
      successes: record.successes,
      since: record.changedAt,
      breaker: breakerState(this.#breakers.get(target.id)!),
      ...(result.isSkipped ? { isSkipped: true } : {}),
      isCritical: target.isCritical,
    };
  }

  #load(): HealthRecord[] {
    try {
      return this.#options.store?.loadHealth() ?? [];
    } catch (error) {
      // A store that cannot be read is itself a down target this round will report; the
      // targets start from no history rather than the check failing.
      this.#logger.warn({ error: describeError(error) }, 'health state not loaded');
      return [];
    }
  }

  #save(targets: readonly HealthTarget[]): void {
    const store = this.#options.store;
    if (store === undefined) return;

    const records: HealthRecord[] = targets
      .filter((target) => target.staticFailure === undefined)
      .map((target) => ({
        target: target.id,
        ...this.#records.get(target.id)!,
        breaker: JSON.stringify(this.#breakers.get(target.id)!.toJSON()),
      }));
    try {
      store.saveHealth(records);
    } catch (error) {
      // The probes' results stand; only their memory for the next run is lost.
      this.#logger.warn({ error: describeError(error) }, 'health state not saved');
      if (this.listenerCount('error') > 0) this.#notify('error', () => this.emit('error', error));
    }
  }
}

function fromStored(record: HealthRecord): TargetRecord {
  return {
    state: record.state,
    failures: record.failures,
    successes: record.successes,
    checkedAt: record.checkedAt,
    changedAt: record.changedAt,
    lastError: record.lastError,
  };
}
