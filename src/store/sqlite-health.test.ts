/** The store's health records, ping and latest report. */
import { describe, expect, it } from 'vitest';
import { isStoreError } from '../errors.ts';
import { openSqliteStore } from './sqlite.ts';
import type { HealthRecord } from './types.ts';

const record: HealthRecord = {
  target: 'service:api',
  state: 'down',
  failures: 3,
  successes: 0,
  checkedAt: '2024-01-01T00:00:00.000Z',
  changedAt: '2024-01-01T00:00:00.000Z',
  lastError: 'status 503',
  breaker: '{"ownState":{"value":0},"breakerState":3}',
};

describe('SqliteStore health records', () => {
  it('saves, replaces and loads records by target', () => {
    const store = openSqliteStore(':memory:');
    store.saveHealth([record, { ...record, target: 'platform:reddit', state: 'up', failures: 0 }]);
    store.saveHealth([{ ...record, state: 'up', failures: 0, successes: 1, lastError: null }]);

    expect(store.loadHealth()).toEqual([
      { ...record, target: 'platform:reddit', state: 'up', failures: 0 },
      { ...record, state: 'up', failures: 0, successes: 1, lastError: null },
    ]);
    store.close();
  });

  it('answers ping while open and raises StoreError once closed', () => {
    const store = openSqliteStore(':memory:');
    expect(() => store.ping()).not.toThrow();
    store.close();

    let caught: unknown;
    try {
      store.ping();
    } catch (error) {
      caught = error;
    }
    expect(isStoreError(caught)).toBe(true);
  });

  it('gives the latest run that wrote a report', () => {
    const store = openSqliteStore(':memory:');
    expect(store.latestReport()).toBeNull();

    store.startRun('run-1', '2024-01-01T00:00:00.000Z', '{}');
    store.finishRun('run-1', 'degraded', '2024-01-01T00:00:01.000Z', '{"runId":"run-1"}');
    store.startRun('run-2', '2024-01-01T00:01:00.000Z', '{}');

    expect(store.latestReport()).toEqual({
      runId: 'run-1',
      status: 'degraded',
      finishedAt: '2024-01-01T00:00:01.000Z',
      reportJson: '{"runId":"run-1"}',
    });
    store.close();
  });
});
