/** The monitor with scripted targets and fake time: schedules, thresholds, breakers, memory. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger, type Logger } from '../../observe/logger.ts';
import type { HealthRecord, Store } from '../../store/types.ts';
import type { CheckResult } from './bounded.ts';
import { HealthMonitor, type HealthMonitorOptions } from './monitor.ts';
import type { HealthTarget } from './targets.ts';

interface Scripted extends HealthTarget {
  calls: number;
}

/** A target answering from `script` in turn (its last answer repeats). */
function scripted(name: string, script: boolean[], isCritical = false): Scripted {
  const target: Scripted = {
    id: `service:${name}`,
    name,
    kind: 'service',
    probe: 'http',
    target: `http://${name}/health`,
    isCritical,
    calls: 0,
    run: (): Promise<CheckResult> => {
      const ok = script[Math.min(target.calls, script.length - 1)]!;
      target.calls += 1;
      return Promise.resolve(ok ? { ok, latencyMs: 1 } : { ok, latencyMs: 1, error: 'status 503' });
    },
  };
  return target;
}

/** A target answering from `script` in turn: up, down, or no recorded answer (a replay miss). */
function replayed(name: string, script: Array<'up' | 'down' | 'miss'>): Scripted {
  const target: Scripted = {
    ...scripted(name, [true]),
    run: (): Promise<CheckResult> => {
      const answer = script[Math.min(target.calls, script.length - 1)]!;
      target.calls += 1;
      if (answer === 'up') return Promise.resolve({ ok: true, latencyMs: 1 });
      if (answer === 'down')
        return Promise.resolve({ ok: false, latencyMs: 1, error: 'status 503' });
      return Promise.resolve({
        ok: false,
        latencyMs: 1,
        isUnknown: true,
        error: 'no recorded answer',
      });
    },
  };
  return target;
}

function memoryStore(): Store & { saved: Map<string, HealthRecord> } {
  const saved = new Map<string, HealthRecord>();
  return {
    saved,
    loadHealth: () => [...saved.values()],
    saveHealth: (records: readonly HealthRecord[]) => {
      for (const record of records) saved.set(record.target, record);
    },
  } as unknown as Store & { saved: Map<string, HealthRecord> };
}

function monitor(targets: HealthTarget[], overrides: Partial<HealthMonitorOptions> = {}) {
  return new HealthMonitor({
    targets,
    thresholds: { failures: 2, successes: 2 },
    breaker: { threshold: 100, halfOpenMs: 20_000, maxHalfOpenMs: 80_000 },
    intervalMs: 30_000,
    downIntervalMs: 5_000,
    ...overrides,
  });
}

describe('HealthMonitor', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2024-01-01T00:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('probes at most `concurrency` targets at once, in order, and all at once without it', async () => {
    const inFlight = { now: 0, max: 0 };
    const started: string[] = [];
    const slow = (name: string): HealthTarget => ({
      ...scripted(name, [true]),
      run: async (): Promise<CheckResult> => {
        started.push(name);
        inFlight.now += 1;
        inFlight.max = Math.max(inFlight.max, inFlight.now);
        await new Promise((resolve) => setTimeout(resolve, 10));
        inFlight.now -= 1;
        return { ok: true, latencyMs: 10 };
      },
    });
    const targets = [slow('a'), slow('b'), slow('c')];

    const sequential = monitor(targets, { concurrency: 1 }).round();
    await vi.advanceTimersByTimeAsync(30);
    expect((await sequential).map((check) => check.state)).toEqual(['up', 'up', 'up']);
    expect(inFlight.max).toBe(1);
    expect(started).toEqual(['a', 'b', 'c']);

    inFlight.max = 0;
    const parallel = monitor(targets).round();
    await vi.advanceTimersByTimeAsync(10);
    await parallel;
    expect(inFlight.max).toBe(3);
  });

  it('re-probes a down target every downIntervalMs and an up one every intervalMs', async () => {
    const up = scripted('up', [true]);
    const down = scripted('down', [false]);
    const health = monitor([up, down]);

    health.start();
    await vi.advanceTimersByTimeAsync(30_000);
    await health.stop();

    // Up: at 0 s and 30 s. Down: at 0, 5, 10, 15, 20, 25 and 30 s.
    expect([up.calls, down.calls]).toEqual([2, 7]);
    expect(health.checks().map((check) => [check.name, check.state])).toEqual([
      ['up', 'up'],
      ['down', 'down'],
    ]);
  });

  it('stops probing a target whose breaker opened, then tries it on a doubling wait', async () => {
    const dead = scripted('dead', [false]);
    const health = monitor([dead], {
      breaker: { threshold: 3, halfOpenMs: 20_000, maxHalfOpenMs: 80_000 },
    });

    health.start();
    // Probes at 0, 5 and 10 s open the breaker; trials follow at 30 s (20 s wait) and 70 s (40 s).
    await vi.advanceTimersByTimeAsync(69_999);
    expect(dead.calls).toBe(4);
    await vi.advanceTimersByTimeAsync(1);
    expect(dead.calls).toBe(5);
    await health.stop();

    expect(health.checks()[0]).toMatchObject({ state: 'down', breaker: 'open', failures: 5 });
  });

  it('reports a skipped probe with the time of the next trial', async () => {
    const dead = scripted('dead', [false]);
    const health = monitor([dead], {
      breaker: { threshold: 1, halfOpenMs: 60_000, maxHalfOpenMs: 60_000 },
    });

    await health.round();
    const [skipped] = await health.round();

    expect(dead.calls).toBe(1);
    expect(skipped).toMatchObject({ ok: false, state: 'down', isSkipped: true, failures: 1 });
    expect(skipped?.error).toBe(
      'not probed: breaker open after repeated failures; next trial after 2024-01-01T00:01:00.000Z',
    );
  });

  it('keeps states, streaks and breakers across monitors through the store', async () => {
    const store = memoryStore();
    const flaky = scripted('flaky', [true, false, false, true, true]);
    const states: string[] = [];

    for (let run = 0; run < 5; run++) {
      const health = monitor([flaky], { store });
      const [check] = await health.round();
      states.push(`${check!.state}:${check!.failures}:${check!.successes}`);
    }

    // Down after 2 failures in a row, up after 2 successes in a row, one monitor per "run".
    expect(states).toEqual(['up:0:1', 'up:1:0', 'down:2:0', 'down:0:1', 'up:0:2']);
    expect(store.saved.get('service:flaky')).toMatchObject({ state: 'up', successes: 2 });
  });

  it('restores an open breaker from the store, so a new run does not probe a dead target', async () => {
    const store = memoryStore();
    const breaker = { threshold: 2, halfOpenMs: 60_000, maxHalfOpenMs: 60_000 };
    const dead = scripted('dead', [false]);

    await monitor([dead], { store, breaker }).round();
    await monitor([dead], { store, breaker }).round();
    const [third] = await monitor([dead], { store, breaker }).round();
    expect(dead.calls).toBe(2);
    expect(third?.isSkipped).toBe(true);

    vi.setSystemTime(new Date('2024-01-01T00:01:00Z'));
    const [fourth] = await monitor([dead], { store, breaker }).round();
    expect(dead.calls).toBe(3);
    expect(fourth?.isSkipped).toBeUndefined();
  });

  it('is unhealthy only while a critical target is down', async () => {
    const critical = scripted('db', [true, false]);
    const optional = scripted('extra', [false]);
    const health = monitor([critical, optional], { thresholds: { failures: 1, successes: 1 } });

    await health.round();
    expect(health.isHealthy()).toBe(true);
    await health.round();
    expect(health.isHealthy()).toBe(true);

    const strict = monitor([scripted('db', [false], true)]);
    await strict.round();
    expect(strict.isHealthy()).toBe(false);
  });

  it('emits a change event when a target changes state', async () => {
    const target = scripted('svc', [true, false]);
    const health = monitor([target], { thresholds: { failures: 1, successes: 1 } });
    const changes: string[] = [];
    health.on('change', (check, from) => changes.push(`${check.name}: ${from} -> ${check.state}`));

    await health.round();
    await health.round();

    expect(changes).toEqual(['svc: unknown -> up', 'svc: up -> down']);
  });

  it('marks a target with a static failure down at once without probing or saving it', async () => {
    const store = memoryStore();
    const broken: HealthTarget = {
      ...scripted('reddit', [true]),
      kind: 'platform',
      id: 'platform:reddit',
      staticFailure: 'reddit credentials missing',
    };
    const health = monitor([broken], { store });

    const [check] = await health.round();

    expect(check).toMatchObject({ state: 'down', ok: false, error: 'reddit credentials missing' });
    expect(store.saved.size).toBe(0);
  });

  it('lets a probe with no recorded answer through without a verdict for the breaker', async () => {
    const target = replayed('svc', ['down', 'miss', 'down']);
    const health = monitor([target], {
      breaker: { threshold: 2, halfOpenMs: 60_000, maxHalfOpenMs: 60_000 },
    });

    await health.round();
    const [miss] = await health.round();
    const [third] = await health.round();

    // The miss neither reset the streak of failures nor counted as one: the second failure opens.
    expect(miss).toMatchObject({ isUnknown: true, failures: 1, breaker: 'closed' });
    expect(third).toMatchObject({ failures: 2, breaker: 'open' });
  });

  it('leaves an open breaker open after a trial probe with no recorded answer', async () => {
    const target = replayed('svc', ['down', 'miss', 'down']);
    const health = monitor([target], {
      breaker: { threshold: 1, halfOpenMs: 60_000, maxHalfOpenMs: 60_000 },
    });

    await health.round();
    vi.advanceTimersByTime(60_000);
    const [trial] = await health.round();
    const [after] = await health.round();

    expect(trial).toMatchObject({ isUnknown: true, breaker: 'open' });
    // Still open and due for a trial: the next round probes again, and that failure counts.
    expect(target.calls).toBe(3);
    expect(after).toMatchObject({ state: 'down', failures: 2, breaker: 'open' });
  });

  it('logs a throwing round or check listener and keeps probing on schedule', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    const logged: string[] = [];
    const logger: Logger = {
      ...silentLogger,
      error: (fields, message) => logged.push(`${message}: ${String(fields.event)}`),
      child: () => logger,
    };
    const target = scripted('svc', [true]);
    const health = monitor([target], { logger, intervalMs: 1_000 });
    health.on('check', () => {
      throw new Error('check listener bug');
    });
    health.on('round', () => {
      throw new Error('round listener bug');
    });

    try {
      health.start();
      await vi.advanceTimersByTimeAsync(2_000);
      await health.stop();
      // Unhandled rejections are reported after a turn of the (real) event loop.
      vi.useRealTimers();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', onRejection);
    }

    expect(rejections).toEqual([]);
    // Rounds at 0, 1 and 2 s: each probed, and each listener's failure logged.
    expect(target.calls).toBe(3);
    expect(logged).toEqual([
      'health listener failed: check',
      'health listener failed: round',
      'health listener failed: check',
      'health listener failed: round',
      'health listener failed: check',
      'health listener failed: round',
    ]);
    expect(health.checks()[0]).toMatchObject({ state: 'up' });
  });

  it('finishes a round and saves it when a listener throws', async () => {
    const store = memoryStore();
    const health = monitor([scripted('a', [true]), scripted('b', [false])], { store });
    health.on('check', () => {
      throw new Error('listener bug');
    });

    const checks = await health.round();

    expect(checks.map((check) => check.name)).toEqual(['a', 'b']);
    expect([...store.saved.keys()]).toEqual(['service:a', 'service:b']);
  });
});
