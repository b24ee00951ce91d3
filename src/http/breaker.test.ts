import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { CancelledError, TimeoutError, isCircuitOpenError } from '../errors.ts';
import {
  BREAKER_DEFAULTS,
  OriginBreaker,
  breakerVerdict,
  isBreakerFailure,
  isBreakerFailureStatus,
  type BreakerSettings,
} from './breaker.ts';
import type { CircuitStateName } from './types.ts';

const ORIGIN = 'https://api.example';

interface Harness {
  breaker: OriginBreaker;
  transitions: string[];
  rejections: () => number;
  /** Runs one attempt answering `status`, or raising `error`. */
  call: (outcome: number | Error) => Promise<unknown>;
}

function harness(settings: Partial<BreakerSettings> = {}): Harness {
  const transitions: string[] = [];
  let rejections = 0;
  const breaker = new OriginBreaker({
    origin: ORIGIN,
    settings: { ...BREAKER_DEFAULTS, failureRatio: 0, ...settings },
    isFailureError: isBreakerFailure,
    isFailureResult: (value) => isBreakerFailureStatus((value as { status: number }).status),
    onTransition: (from: CircuitStateName, to: CircuitStateName) =>
      transitions.push(`${from}>${to}`),
    onReject: () => {
      rejections += 1;
    },
  });
  const call = (outcome: number | Error): Promise<unknown> =>
    breaker
      .execute(
        () =>
          typeof outcome === 'number'
            ? Promise.resolve({ status: outcome })
            : Promise.reject(outcome),
        breakerVerdict,
      )
      .catch((error: unknown) => error);

  return { breaker, transitions, rejections: () => rejections, call };
}

/** An attempt that stays in flight until `finish` is called. */
function pending(h: Harness): { result: Promise<unknown>; finish: (status: number) => void } {
  let finish!: (status: number) => void;
  const answer = new Promise<{ status: number }>((resolve) => {
    finish = (status) => resolve({ status });
  });
  const result = h.breaker.execute(() => answer, breakerVerdict).catch((error: unknown) => error);
  return { result, finish };
}

async function open(h: Harness): Promise<void> {
  for (let i = 0; i < 5; i++) await h.call(503);
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00Z') });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('opening', () => {
  it('opens after 5 failures in a row and refuses at once, saying when it probes next', async () => {
    const h = harness();
    for (let i = 0; i < 4; i++) await h.call(new TimeoutError('slow'));

    expect(h.breaker.state).toBe('closed');
    await h.call(502);
    expect(h.breaker.state).toBe('open');
    vi.advanceTimersByTime(4_000);
    const refused = await h.call(200);

    expect(isCircuitOpenError(refused)).toBe(true);
    expect((refused as Error).message).toBe(
      `Circuit for ${ORIGIN} is open after a failing status; next probe in 6000 ms`,
    );
    expect(h.rejections()).toBe(1);
    expect(h.transitions).toEqual(['closed>open']);
  });

  it('counts 408 and 429 but no other 4xx, and a success resets the run', async () => {
    const h = harness();
    for (const status of [404, 400, 401, 403, 409, 422, 404, 404]) await h.call(status);
    expect(h.breaker.state).toBe('closed');

    for (const status of [408, 429, 500, 504]) await h.call(status);
    await h.call(200);
    for (const status of [408, 429, 500, 504]) await h.call(status);
    expect(h.breaker.state).toBe('closed');

    await h.call(503);
    expect(h.breaker.state).toBe('open');
  });

  it('never counts a cancellation', async () => {
    const h = harness();
    for (let i = 0; i < 10; i++) await h.call(new CancelledError('stop'));

    expect(h.breaker.state).toBe('closed');
  });

  it('opens on a sampled failure ratio even without 5 in a row', async () => {
    const h = harness({
      consecutiveFailures: 0,
      failureRatio: 0.5,
      samplingWindowMs: 10_000,
      minimumRps: 1,
    });
    // Two failures for every success, one attempt per 200 ms: never 5 in a row, 67% failing.
    for (let i = 0; i < 60 && h.breaker.state === 'closed'; i++) {
      await h.call(i % 3 === 0 ? 200 : 500);
      vi.advanceTimersByTime(200);
    }

    expect(h.breaker.state).toBe('open');
  });
});

describe('half-open', () => {
  it('lets exactly one probe through; concurrent callers fail fast', async () => {
    const h = harness({ successesToClose: 1 });
    await open(h);
    vi.advanceTimersByTime(10_000);
    const probe = pending(h);
    const others = await Promise.all([h.call(200), h.call(200), h.call(200)]);

    expect(h.breaker.state).toBe('half-open');
    expect(others.every(isCircuitOpenError)).toBe(true);
    expect((others[0] as Error).message).toBe(
      `Circuit for ${ORIGIN} is half-open and its probe is in flight; try again after it`,
    );
    probe.finish(200);
    expect(await probe.result).toEqual({ status: 200 });
    expect(h.breaker.state).toBe('closed');
    expect(h.transitions).toEqual(['closed>open', 'open>half-open', 'half-open>closed']);
  });

  it('closes only after successesToClose probes in a row, still one at a time', async () => {
    const h = harness({ successesToClose: 3 });
    await open(h);
    vi.advanceTimersByTime(10_000);

    await h.call(200);
    expect(h.breaker.state).toBe('half-open');
    const second = pending(h);
    expect(isCircuitOpenError(await h.call(200))).toBe(true);
    second.finish(204);
    await second.result;
    expect(h.breaker.state).toBe('half-open');

    await h.call(200);
    expect(h.breaker.state).toBe('closed');
    expect(h.transitions).toEqual(['closed>open', 'open>half-open', 'half-open>closed']);
  });

  it('reopens at once when a probe on probation fails', async () => {
    const h = harness({ successesToClose: 2 });
    await open(h);
    vi.advanceTimersByTime(10_000);
    await h.call(200);
    await h.call(new TimeoutError('slow again'));

    expect(h.breaker.state).toBe('open');
    expect(isCircuitOpenError(await h.call(200))).toBe(true);
    expect(h.transitions).toEqual(['closed>open', 'open>half-open', 'half-open>open']);
  });

  it('reopens when the first probe fails, and probes again after the rest', async () => {
    const h = harness({ successesToClose: 1 });
    await open(h);
    vi.advanceTimersByTime(10_000);
    await h.call(500);
    expect(h.breaker.state).toBe('open');

    vi.advanceTimersByTime(10_000);
    await h.call(200);
    expect(h.breaker.state).toBe('closed');
  });

  it('does not count a cancelled probe as a success', async () => {
    const h = harness({ successesToClose: 1 });
    await open(h);
    vi.advanceTimersByTime(10_000);
    await h.call(new CancelledError('caller left'));

    expect(h.breaker.state).toBe('half-open');
    await h.call(200);
    expect(h.breaker.state).toBe('closed');
  });
});
