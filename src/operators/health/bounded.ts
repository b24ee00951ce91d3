/**
 * Runs one probe under its own deadline. The deadline aborts the probe's signal and settles the
 * check at once, even when a client is slow to honour the abort, so one stuck target can never
 * hold a round past its timeout.
 * @internal
 */
import { describeError, isReplayMissError } from '../../errors.ts';

/** What a probe found; `bounded` adds the latency. */
export interface ProbeOutcome {
  ok: boolean;
  status?: number;
  error?: string;
  isUnknown?: boolean;
}

/** The outcome of one check. */
export interface CheckResult extends ProbeOutcome {
  /** From the start of the probe to its answer (or failure), milliseconds. */
  latencyMs: number;
}

/**
 * @internal Runs `probe` with a deadline of `timeoutMs`; never throws. `target` (e.g.
 * `GET https://api.example/healthz`, `tcp db:5432`) starts every error the probe itself does not
 * word, so each health error names what was probed, whatever went wrong.
 */
export async function bounded(
  timeoutMs: number,
  signal: AbortSignal | undefined,
  probe: (signal: AbortSignal, elapsedMs: () => number) => Promise<ProbeOutcome>,
  target: string,
): Promise<CheckResult> {
  // A probe's own abort listener would never fire on a signal that has already fired.
  if (signal?.aborted === true) return { ok: false, error: `${target}: cancelled`, latencyMs: 0 };

  const started = performance.now();
  const elapsed = (): number => Math.round((performance.now() - started) * 100) / 100;
  const deadline = new AbortController();
  const combined =
    signal === undefined ? deadline.signal : AbortSignal.any([deadline.signal, signal]);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<ProbeOutcome>((resolve) => {
    timer = setTimeout(() => {
      deadline.abort();
      resolve({ ok: false, error: `${target}: no answer within ${timeoutMs} ms` });
    }, timeoutMs);
  });

  const running = probe(combined, elapsed).catch((error: unknown): ProbeOutcome => {
    if (isReplayMissError(error)) {
      return { ok: false, isUnknown: true, error: `${target}: no recorded answer` };
    }
    const message = describeError(error);
    return { ok: false, error: message.startsWith(target) ? message : `${target}: ${message}` };
  });

  try {
    const outcome = await Promise.race([running, expired]);
    return { ...outcome, latencyMs: elapsed() };
  } finally {
    clearTimeout(timer);
    // The probe may still be unwinding after the deadline; its late outcome is not wanted.
    if (!deadline.signal.aborted) deadline.abort();
  }
}
