/**
 * The up/down state of a target with failure and success thresholds, so one lost probe does not
 * take a service down and one lucky probe does not bring it back. Pure: the monitor keeps it.
 */

/** `unknown`: never probed with a definite answer. */
export type TargetState = 'up' | 'down' | 'unknown';

/** What is remembered of a target between probes and across runs. */
export interface TargetRecord {
  state: TargetState;
  /** Consecutive failed probes (0 after a success). */
  failures: number;
  /** Consecutive successful probes (0 after a failure). */
  successes: number;
  /** ISO time of the last definite probe. */
  checkedAt: string | null;
  /** ISO time the state last changed. */
  changedAt: string | null;
  /** Why the last failed probe failed. */
  lastError: string | null;
}

/** How many probes in a row change a state. */
export interface Thresholds {
  /** Failures in a row that take an up target down. */
  failures: number;
  /** Successes in a row that bring a down target up. */
  successes: number;
}

/** The record of a target never seen. */
export const NEW_TARGET: TargetRecord = {
  state: 'unknown',
  failures: 0,
  successes: 0,
  checkedAt: null,
  changedAt: null,
  lastError: null,
};

/**
 * The record after one probe. A target with no history takes the first definite answer as its
 * state (nothing says it was ever otherwise); an up target goes down after `failures` failures
 * in a row; a down target comes up after `successes` successes in a row.
 *
 * @example
 * let record = NEW_TARGET;
 * record = nextRecord(record, { ok: false, error: 'status 503' }, { failures: 3, successes: 2 }, at);
 * record.state; // 'down'
 */
export function nextRecord(
  record: TargetRecord,
  probe: { ok: boolean; error?: string | undefined },
  thresholds: Thresholds,
  at: string,
): TargetRecord {
  const failures = probe.ok ? 0 : record.failures + 1;
  const successes = probe.ok ? record.successes + 1 : 0;
  let state = record.state;
  if (state === 'unknown') state = probe.ok ? 'up' : 'down';
  else if (state === 'up' && failures >= thresholds.failures) state = 'down';
  else if (state === 'down' && successes >= thresholds.successes) state = 'up';

  return {
    state,
    failures,
    successes,
    checkedAt: at,
    changedAt: state === record.state ? record.changedAt : at,
    lastError: probe.ok ? record.lastError : (probe.error ?? 'failed'),
  };
}
