import { describe, expect, it } from 'vitest';
import { checkGoals, checkRequirements } from './checks.ts';
import { goalsSchema, requirementsSchema } from './scenario.ts';
import { summarizeTarget } from './summary.ts';
import { LIMITS, childRun, plainSummary, scrapeSummary } from './testing.ts';

const requirements = requirementsSchema.parse({});
const goals = goalsSchema.parse({});

describe('summarizeTarget', () => {
  it('sets naive beside optimised with the ratio of each pair and the limits', () => {
    const scrape = scrapeSummary([1_000, 1_200, 1_100], [100, 150, 110]);

    expect(scrape.ratios).toEqual([0.1, 0.125, 0.1]);
    expect(scrape.medianRatio).toBe(0.1);
    expect(scrape.improvement).toBe(0.9);
    expect(scrape.speedup).toBe(10);
    expect(scrape.naive.wallMs.median).toBe(1_100);
    expect(scrape.optimized.wallMs.median).toBe(110);
    expect(scrape.optimized.rssAboveFloorBytes).toBe(15_000_000);
    expect(scrape.optimized.requests).toBe(72);
    expect(scrape.optimized.connections).toBe(8);
    expect(scrape.optimized.reuse).toBeCloseTo(1 - 8 / 72, 12);
    expect(scrape.optimized.warm).toEqual({
      wallMs: 88,
      requests: 72,
      connections: 0,
      reuse: 1,
      cacheHitRatio: null,
    });
    expect(scrape.optimized.server).toEqual({ requests: 144, connections: 8, cpuMs: 5 });
    expect(scrape.minimumRequests).toBe(72);
    expect(scrape.requestRatio).toBe(1);
    expect(scrape.expectedConnections).toEqual({ cold: 8, warm: 0 });
    expect(scrape.naive.connections).toBe(72);
    expect(scrape.naive.isSteady).toBe(true);
  });

  it('reads the recent posts from the runs and says when counts varied', () => {
    const engine = summarizeTarget(
      'engine',
      {
        naive: [childRun({ requests: 95, connections: 95, recentPosts: { bluesky: 95 } })],
        optimized: [childRun({ requests: 4, connections: 4, recentPosts: { bluesky: 95 } })],
      },
      80_000_000,
      LIMITS,
    );
    expect(engine.recentPosts).toEqual({ bluesky: 95 });
    expect(engine.minimumRequests).toBe(4);
    expect(engine.expectedConnections.cold).toBe(4);

    const varied = scrapeSummary([1_000, 1_000], [100, 100]);
    expect(varied.optimized.isSteady).toBe(true);
    const runs = [childRun({ requests: 72 }), childRun({ requests: 74 })];
    const unsteady = summarizeTarget('scrape', { naive: runs, optimized: runs }, 0, LIMITS);
    expect(unsteady.optimized.isSteady).toBe(false);
    expect(unsteady.optimized.requests).toBe(73);
  });

  it('lists the runs that did not succeed', () => {
    const failed = summarizeTarget(
      'health',
      {
        naive: [childRun({ status: 'health failed', error: 'no answer within 5000 ms' })],
        optimized: [childRun({})],
      },
      0,
      LIMITS,
    );
    expect(failed.naive.failures).toEqual(['health failed: no answer within 5000 ms']);
    expect(failed.optimized.failures).toEqual([]);
  });
});

describe('requirements', () => {
  it('passes a scrape that is faster, small, reusing and quick enough', () => {
    const checks = checkRequirements(
      [scrapeSummary([1_000, 1_200, 1_100], [100, 150, 110])],
      requirements,
    );

    expect(checks).toEqual([
      { name: 'every run succeeded', subject: 'scrape', actual: 'all', limit: 'all', isPass: true },
      {
        name: 'faster than naive',
        subject: 'scrape',
        actual: '90.0%',
        limit: '>= 10.0%',
        isPass: true,
      },
      { name: 'peak RSS', subject: 'scrape', actual: '95.0 MB', limit: '< 100 MB', isPass: true },
      {
        name: 'connection reuse, warm pool',
        subject: 'scrape',
        actual: '100.0%',
        limit: '>= 90.0%',
        isPass: true,
      },
      // p99 of 100, 110, 150: 110 + 0.98 x 40 = 149.2.
      {
        name: 'p99 wall (fetch)',
        subject: 'scrape',
        actual: '149 ms',
        limit: '<= 10000 ms',
        isPass: true,
      },
    ]);
  });

  it('fails a target that is too slow, too big or too slow at p99', () => {
    const checks = checkRequirements(
      [scrapeSummary([1_000, 1_000], [950, 12_000], { peakMb: 120 })],
      { ...requirements, minImprovement: 0.1 },
    );
    const failed = checks.filter((check) => !check.isPass).map((check) => check.name);

    // The median of 0.95 and 12 is above 0.9: less than 10% faster.
    expect(failed).toEqual(['faster than naive', 'peak RSS', 'p99 wall (fetch)']);
  });

  it('holds the whole run to the reuse requirement, and skips speed where no network is on the path', () => {
    const run = scrapeSummary([1_000], [100]);
    const asRun = { ...run, target: 'run' as const, kind: 'run' as const };
    expect(checkRequirements([asRun], requirements).map((check) => check.name)).toContain(
      'connection reuse',
    );
    const reuse = checkRequirements([asRun], requirements).find(
      (check) => check.name === 'connection reuse',
    );
    expect(reuse).toMatchObject({ actual: '88.9%', isPass: false });

    const thompson = checkRequirements([plainSummary('thompson', 60, 58)], requirements);
    expect(thompson.map((check) => check.name)).toEqual([
      'every run succeeded',
      'peak RSS',
      'p99 wall (compute)',
    ]);
  });
});

describe('targets', () => {
  const floor = { floorMs: 220, criticalPathMs: 180, throughputMs: 80, medianMs: 110, ratio: 0.5 };

  it('reports speed-up, connections, requests, memory above the floor and the scrape floor', () => {
    const checks = checkGoals(
      [scrapeSummary([1_000, 1_200, 1_100], [100, 150, 110])],
      goals,
      floor,
    );

    expect(checks.map((check) => [check.name, check.actual, check.limit, check.isPass])).toEqual([
      ['speed-up over naive', '10.00x', '>= 2x', true],
      ['connections, cold pool', '8', '= 8', true],
      ['connections, warm pool', '0', '= 0', true],
      ['requests / minimum', '72 / 72 = 1.000', '<= 1.05', true],
      ['peak RSS above floor', '15.0 MB', '<= 40 MB', true],
      ['wall / critical-path floor', '110 ms / 220 ms = 0.50x', '<= 1.2x', true],
    ]);
  });

  it('fails extra connections, extra requests and memory far above the floor', () => {
    const checks = checkGoals(
      [scrapeSummary([1_000], [600], { peakMb: 130, requests: 80, connections: 12 })],
      goals,
      { ...floor, medianMs: 600, ratio: 600 / 220 },
    );
    const failed = checks.filter((check) => !check.isPass).map((check) => check.name);

    // 1,000 ms against 600: 1.67x, short of 2x.
    expect(failed).toEqual([
      'speed-up over naive',
      'connections, cold pool',
      'requests / minimum',
      'peak RSS above floor',
      'wall / critical-path floor',
    ]);
    expect(checks.find((check) => check.name === 'requests / minimum')?.actual).toBe(
      '80 / 72 = 1.111',
    );
  });
});
