import { describe, expect, it } from 'vitest';
import { StatsTracker, statsSince } from './stats.ts';

describe('statsSince', () => {
  it('counts only what came after the first snapshot, answered requests included', () => {
    const tracker = new StatsTracker();
    const a = tracker.entry('http://a');
    a.requests = 10;
    a.connections = 2;
    a.responses = 10;
    const before = tracker.snapshot();

    // Three more attempts, none answered: written on a stale socket, refused on reconnect.
    a.requests += 3;
    a.connections += 1;
    a.errors += 3;
    tracker.entry('http://idle');
    const since = statsSince(before, tracker.snapshot());

    expect(since).toMatchObject({ requests: 3, responses: 0, connections: 1, errors: 3 });
    expect(since.reuseRatio).toBeNull();
    expect(since.byOrigin.map((entry) => [entry.origin, entry.responses])).toEqual([
      ['http://a', 0],
    ]);
  });

  it('gives the reuse of the later requests alone', () => {
    const tracker = new StatsTracker();
    const a = tracker.entry('http://a');
    Object.assign(a, { requests: 4, connections: 4, responses: 4 });
    const before = tracker.snapshot();
    Object.assign(a, { requests: 14, connections: 5, responses: 14 });

    expect(statsSince(before, tracker.snapshot()).reuseRatio).toBe(0.9);
  });
});
