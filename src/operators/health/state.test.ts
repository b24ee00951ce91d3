import { describe, expect, it } from 'vitest';
import { NEW_TARGET, nextRecord, type TargetRecord } from './state.ts';

const thresholds = { failures: 3, successes: 2 };
const fail = { ok: false, error: 'status 503' };
const pass = { ok: true };

function replay(steps: Array<{ ok: boolean; error?: string }>, from: TargetRecord = NEW_TARGET) {
  const states: string[] = [];
  let record = from;
  steps.forEach((step, index) => {
    record = nextRecord(record, step, thresholds, `2024-01-01T00:00:0${index}Z`);
    states.push(record.state);
  });
  return { record, states };
}

describe('nextRecord', () => {
  it('takes the first definite answer of a new target as its state', () => {
    expect(replay([fail]).states).toEqual(['down']);
    expect(replay([pass]).states).toEqual(['up']);
  });

  it('takes an up target down only after the failure threshold', () => {
    const { states, record } = replay([pass, fail, fail, fail]);

    expect(states).toEqual(['up', 'up', 'up', 'down']);
    expect(record).toMatchObject({ failures: 3, successes: 0, lastError: 'status 503' });
    expect(record.changedAt).toBe('2024-01-01T00:00:03Z');
  });

  it('brings a down target up only after the success threshold', () => {
    const { states, record } = replay([fail, pass, pass]);

    expect(states).toEqual(['down', 'down', 'up']);
    expect(record.changedAt).toBe('2024-01-01T00:00:02Z');
  });

  it('starts counting again when a streak is broken', () => {
    expect(replay([pass, fail, fail, pass, fail, fail]).states).toEqual([
      'up',
      'up',
      'up',
      'up',
      'up',
      'up',
    ]);
    expect(replay([fail, pass, fail, pass]).states).toEqual(['down', 'down', 'down', 'down']);
  });
});
