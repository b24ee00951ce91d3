import { describe, expect, it } from 'vitest';
import { scenarioFrom } from './bench.ts';

const base = { runtime: 'compiled' as const, threshold: '0.25' };

describe('scenarioFrom', () => {
  it('puts the flags over the defaults', async () => {
    const scenario = await scenarioFrom({
      ...base,
      platforms: 'bluesky,reddit',
      accounts: '10',
      pairs: '7',
      latency: '50',
      only: 'scrape,run',
      p99: ['probe=500', 'run=30000'],
      maxRss: '120',
      nodeOptions: ['--max-semi-space-size=4'],
    });

    expect(scenario.accounts).toEqual({ bluesky: 10, reddit: 10 });
    expect(scenario.pairs).toBe(7);
    expect(scenario.latencyMs).toBe(50);
    expect(scenario.targets).toEqual(['scrape', 'run']);
    expect(scenario.requirements.p99Ms).toEqual({
      probe: 500,
      fetch: 10_000,
      compute: 5_000,
      run: 30_000,
    });
    expect(scenario.requirements.maxPeakRssMb).toBe(120);
    expect(scenario.nodeOptions).toEqual(['--max-semi-space-size=4']);
  });

  it('keeps the default platform when only the account count is given', async () => {
    expect((await scenarioFrom({ ...base, accounts: '3' })).accounts).toEqual({ bluesky: 3 });
  });

  it('names the flag and the value it could not use', async () => {
    await expect(scenarioFrom({ ...base, only: 'scrape,lunch' })).rejects.toThrow(
      /--only: got "scrape,lunch", expected a comma-separated list of health, scrape/,
    );
    await expect(scenarioFrom({ ...base, p99: ['probe:500'] })).rejects.toThrow(
      /--p99: got "probe:500", expected KIND=MS/,
    );
    await expect(scenarioFrom({ ...base, pairs: 'many' })).rejects.toThrow(
      /--pairs: got "many", expected a number/,
    );
    await expect(scenarioFrom({ ...base, pairs: '0' })).rejects.toThrow(/pairs: .*got 0/);
    await expect(scenarioFrom({ ...base, platforms: 'myspace' })).rejects.toThrow(
      /--platforms: got "myspace"/,
    );
  });
});
