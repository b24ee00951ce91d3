import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConfigError } from '../errors.ts';
import { accountTotal, pageSize, parseScenario, readScenarioFile } from './scenario.ts';

describe('parseScenario', () => {
  it('fills in the defaults: a default scenario and the original requirements', () => {
    const scenario = parseScenario({});

    expect(scenario.accounts).toEqual({ bluesky: 24 });
    expect([scenario.posts, scenario.pages, pageSize(scenario)]).toEqual([60, 3, 20]);
    expect([scenario.latencyMs, scenario.connectLatencyMs, scenario.concurrency]).toEqual([
      20, 40, 8,
    ]);
    expect(scenario.pairs).toBe(5);
    expect(scenario.targets).toEqual(['health', 'scrape', 'engine', 'thompson', 'metrics', 'run']);
    expect(scenario.requirements).toEqual({
      minImprovement: 0.1,
      maxPeakRssMb: 100,
      minReuse: 0.9,
      p99Ms: { probe: 1_000, fetch: 10_000, compute: 5_000, run: 20_000 },
    });
    expect(scenario.goals).toEqual({
      minSpeedup: 2,
      maxRequestRatio: 1.05,
      maxFloorRatio: 1.2,
      maxRssAboveFloorMb: 40,
    });
    expect(scenario.scale.accounts).toEqual([10, 100, 1_000]);
    expect(scenario.scale.importPosts.at(-1)).toBe(1_000_000);
  });

  it('counts the accounts of every platform', () => {
    expect(accountTotal(parseScenario({ accounts: { bluesky: 3, reddit: 2 } }))).toBe(5);
  });

  it('names each bad field, its value and what was expected', () => {
    let message = '';
    try {
      parseScenario({ pairs: 0, accounts: { myspace: 3 }, latency: 5 }, 'scenario x.yaml');
    } catch (error) {
      expect(isConfigError(error)).toBe(true);
      message = (error as Error).message;
    }

    expect(message).toMatch(/^invalid scenario x\.yaml:/);
    expect(message).toMatch(/pairs: .*got 0/);
    expect(message).toMatch(/accounts: Unrecognized key: "myspace"/);
    expect(message).toMatch(/Unrecognized key.*"latency"/);
  });

  it('refuses pages larger than a platform serves, saying how many pages are needed', () => {
    expect(() => parseScenario({ posts: 300, pages: 2 })).toThrow(
      /pages of 150, above bluesky's 100; ask for at least 3 pages/,
    );
    expect(() => parseScenario({ accounts: { bluesky: 0 } })).toThrow(/at least one account/);
  });
});

describe('readScenarioFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flywheel-scenario-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads YAML, and says what is wrong with a file that is missing or not a mapping', async () => {
    const good = join(dir, 'good.yaml');
    const list = join(dir, 'list.yaml');
    await writeFile(good, 'accounts:\n  reddit: 4\nposts: 40\npages: 2\n');
    await writeFile(list, '- 1\n- 2\n');

    expect(parseScenario(await readScenarioFile(good)).accounts).toEqual({ reddit: 4 });
    await expect(readScenarioFile(join(dir, 'none.yaml'))).rejects.toThrow(
      /none\.yaml: no such file/,
    );
    await expect(readScenarioFile(list)).rejects.toThrow(
      /must hold a mapping of settings, got a list/,
    );
  });

  it('names the line and column of broken YAML', async () => {
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'posts: 40\npages: [2\n');

    await expect(readScenarioFile(broken)).rejects.toThrow(
      /scenario file .*broken\.yaml is not valid YAML at line \d+, column \d+: .+/,
    );
  });
});
