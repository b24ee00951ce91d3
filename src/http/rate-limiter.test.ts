import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { isCancelledError } from '../errors.ts';
import { RateLimiter, type RateLimiterOptions, type Ticket } from './rate-limiter.ts';

const ORIGIN = 'https://api.example';
const START = Date.parse('2026-01-01T00:00:00Z');

interface Waits {
  key: string;
  waitedMs: number;
}

function limiter(options: Partial<RateLimiterOptions> = {}): { rl: RateLimiter; waits: Waits[] } {
  const waits: Waits[] = [];
  const rl = new RateLimiter({
    ruleFor: () => undefined,
    maxWaitMs: 60_000,
    paceBelowRatio: 0.5,
    now: Date.now,
    onWait: (_origin, key, waitedMs) => waits.push({ key, waitedMs }),
    ...options,
  });
  return { rl, waits };
}

/** Starts `count` requests at once; each ends `holdMs` after it starts. Returns start times. */
async function burst(rl: RateLimiter, count: number, holdMs = 0, key?: string): Promise<number[]> {
  const starts: number[] = [];
  await Promise.all(
    Array.from({ length: count }, async () => {
      const ticket = rl.tryAcquire(ORIGIN, key) ?? (await rl.acquire(ORIGIN, key));
      starts.push(Date.now() - START);
      await new Promise((resolve) => setTimeout(resolve, holdMs));
      ticket.release();
    }),
  );
  return starts;
}

beforeEach(() => {
  vi.useFakeTimers({ now: START });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('a fixed rate', () => {
  it('starts at most `limit` requests in any window of `intervalMs`', async () => {
    const { rl } = limiter({ ruleFor: () => ({ limit: 3, intervalMs: 1_000 }) });
    const running = burst(rl, 10);
    await vi.runAllTimersAsync();

    expect(await running).toEqual([0, 0, 0, 1_000, 1_000, 1_000, 2_000, 2_000, 2_000, 3_000]);
  });

  it('holds a slot until `intervalMs` after the request ENDED', async () => {
    const { rl } = limiter({ ruleFor: () => ({ limit: 2, intervalMs: 1_000 }) });
    const running = burst(rl, 4, 300);
    await vi.runAllTimersAsync();

    // Two start at 0 and end at 300; their slots free at 1300, not at 1000.
    expect(await running).toEqual([0, 0, 1_300, 1_300]);
  });

  it('gives a slot back whole when nothing was sent', () => {
    const { rl } = limiter({ ruleFor: () => ({ limit: 1, intervalMs: 1_000 }) });
    rl.tryAcquire(ORIGIN, undefined)!.release({ wasSent: false });

    expect(rl.tryAcquire(ORIGIN, undefined)).toBeDefined();
  });

  it('keeps keys apart and reports each wait', async () => {
    const { rl, waits } = limiter({ ruleFor: () => ({ limit: 1, intervalMs: 500 }) });
    const a = burst(rl, 2, 0, 'alice');
    const b = burst(rl, 2, 0, 'bob');
    await vi.runAllTimersAsync();

    expect(await a).toEqual([0, 500]);
    expect(await b).toEqual([0, 500]);
    expect(waits).toEqual([
      { key: 'alice', waitedMs: 500 },
      { key: 'bob', waitedMs: 500 },
    ]);
  });
});

describe('a pause from Retry-After', () => {
  it('holds every request of the key, not only the one that was refused', async () => {
    const { rl } = limiter();
    rl.pause(ORIGIN, 'alice', START + 2_000);
    const alice = burst(rl, 3, 0, 'alice');
    const bob = burst(rl, 1, 0, 'bob');
    await vi.runAllTimersAsync();

    expect(await alice).toEqual([2_000, 2_000, 2_000]);
    expect(await bob).toEqual([0]);
  });

  it('caps an absurd pause at maxWaitMs', async () => {
    const { rl, waits } = limiter({ maxWaitMs: 5_000 });
    rl.pause(ORIGIN, undefined, START + 86_400_000);
    const running = burst(rl, 1);
    await vi.runAllTimersAsync();

    expect(await running).toEqual([5_000]);
    expect(waits).toEqual([{ key: '', waitedMs: 5_000 }]);
  });

  it('never shortens a longer pause', async () => {
    const { rl } = limiter();
    rl.pause(ORIGIN, undefined, START + 3_000);
    rl.pause(ORIGIN, undefined, START + 1_000);
    const running = burst(rl, 1);
    await vi.runAllTimersAsync();

    expect(await running).toEqual([3_000]);
  });
});

describe('a quota from limit headers', () => {
  function quota(remaining: number, resetInS: number, limit = 100): Record<string, string> {
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(resetInS),
    };
  }

  it('waits for the reset once none is left', async () => {
    const { rl } = limiter();
    rl.tryAcquire(ORIGIN, undefined)!.release({ headers: quota(0, 30), dialect: 'auto' });
    const running = burst(rl, 2);
    await vi.runAllTimersAsync();

    // After the reset the quota is unknown again, so both go.
    expect(await running).toEqual([30_000, 30_000]);
  });

  it('stops after the remaining requests, counting the ones it started since', async () => {
    const { rl } = limiter();
    rl.tryAcquire(ORIGIN, undefined)!.release({ headers: quota(3, 60), dialect: 'auto' });
    // 3 left of 100 is below half: the 60 s to the reset are shared out, one every 20 s from the
    // last start; the fourth waits for the reset, when the quota is unknown again.
    const running = burst(rl, 4);
    await vi.runAllTimersAsync();

    expect(await running).toEqual([20_000, 40_000, 60_000, 60_000]);
  });

  it('runs freely while more than half the quota is left', async () => {
    const { rl } = limiter();
    rl.tryAcquire(ORIGIN, undefined)!.release({ headers: quota(80, 60), dialect: 'auto' });
    const running = burst(rl, 5);
    await vi.runAllTimersAsync();

    expect(await running).toEqual([0, 0, 0, 0, 0]);
  });

  it('assumes requests still in flight are not yet counted by the server', () => {
    const { rl } = limiter({ paceBelowRatio: 0 });
    const held: Ticket[] = [];
    for (let i = 0; i < 3; i++) held.push(rl.tryAcquire(ORIGIN, undefined)!);
    // One ends saying 3 are left; the two still in flight will use two of them.
    held[0]!.release({ headers: quota(3, 60), dialect: 'auto' });

    expect(rl.tryAcquire(ORIGIN, undefined)).toBeDefined();
    expect(rl.tryAcquire(ORIGIN, undefined)).toBeUndefined();
  });

  it('ignores junk limit headers', () => {
    const { rl } = limiter();
    rl.tryAcquire(ORIGIN, undefined)!.release({
      headers: { 'x-ratelimit-remaining': 'none', 'x-ratelimit-reset': 'later' },
      dialect: 'auto',
    });

    expect(rl.tryAcquire(ORIGIN, undefined)).toBeDefined();
  });
});

describe('waiting', () => {
  it('serves waiters first in, first out', async () => {
    const { rl } = limiter({ ruleFor: () => ({ limit: 1, intervalMs: 100 }) });
    const order: number[] = [];
    const first = rl.tryAcquire(ORIGIN, undefined)!;
    const waiting = [1, 2, 3].map(async (n) => {
      const ticket = await rl.acquire(ORIGIN, undefined);
      order.push(n);
      ticket.release();
    });
    first.release();
    await vi.runAllTimersAsync();
    await Promise.all(waiting);

    expect(order).toEqual([1, 2, 3]);
  });

  it('raises CancelledError when the signal aborts, and the queue moves on', async () => {
    const { rl } = limiter({ ruleFor: () => ({ limit: 1, intervalMs: 1_000 }) });
    rl.tryAcquire(ORIGIN, undefined)!.release();
    const controller = new AbortController();
    const cancelled = rl
      .acquire(ORIGIN, undefined, controller.signal)
      .catch((error: unknown) => error);
    const next = rl.acquire(ORIGIN, undefined);
    controller.abort();

    expect(isCancelledError(await cancelled)).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(next).resolves.toBeDefined();
  });

  it('rejects every waiter on close', async () => {
    const { rl } = limiter();
    rl.pause(ORIGIN, undefined, START + 10_000);
    const waiting = rl.acquire(ORIGIN, undefined).catch((error: unknown) => error);
    rl.close();

    expect(isCancelledError(await waiting)).toBe(true);
  });
});
