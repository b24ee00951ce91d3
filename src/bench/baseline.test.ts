import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithBaseline, readBaseline } from './baseline.ts';
import { parseScenario } from './scenario.ts';
import { scrapeSummary } from './testing.ts';

const scenario = parseScenario({});

function result(naiveMs: number[], optimizedMs: number[], options = {}) {
  return {
    scenario,
    createdAt: '2026-01-05T12:00:00.000Z',
    targets: [scrapeSummary(naiveMs, optimizedMs, options)],
  };
}

describe('compareWithBaseline', () => {
  it('finds no regression when the figures hold', () => {
    const before = result([1_000, 1_000, 1_000], [100, 100, 100]);
    const after = result([2_000, 2_000, 2_000], [210, 210, 210]);
    const comparison = compareWithBaseline(after, before, 0.25, 'bench.json');

    expect(comparison.regressions).toBe(0);
    expect(comparison.isSameScenario).toBe(true);
    expect(comparison.rows.map((row) => [row.figure, row.before, row.after, row.isJudged])).toEqual(
      [
        ['time ratio', 0.1, 0.105, true],
        // The machine was twice as busy: absolute times doubled, shown but not judged.
        ['wall median', 100, 210, false],
        ['RSS above floor', 15_000_000, 15_000_000, true],
        ['requests', 72, 72, true],
        ['connections', 8, 8, true],
      ],
    );
    expect(comparison.rows[1]?.change).toBeCloseTo(1.1, 12);
  });

  it('flags a time ratio beyond the threshold and any extra request or connection', () => {
    const before = result([1_000], [100]);
    const after = result([1_000], [130], { requests: 73, connections: 9 });
    const comparison = compareWithBaseline(after, before, 0.25);

    expect(comparison.rows.filter((row) => row.isRegression).map((row) => row.figure)).toEqual([
      'time ratio',
      'requests',
      'connections',
    ]);
    expect(comparison.regressions).toBe(3);
  });

  it('flags memory growth beyond the threshold, but not a move of under 2 MB', () => {
    const before = result([1_000], [100], { peakMb: 84 });
    const noise = compareWithBaseline(result([1_000], [100], { peakMb: 85.5 }), before, 0.1);
    const growth = compareWithBaseline(result([1_000], [100], { peakMb: 95 }), before, 0.1);

    expect(noise.regressions).toBe(0);
    expect(growth.rows.find((row) => row.figure === 'RSS above floor')?.isRegression).toBe(true);
  });

  it('says when the scenarios differ, and compares only the targets both measured', () => {
    const before = { ...result([1_000], [100]), scenario: parseScenario({ latencyMs: 50 }) };
    const comparison = compareWithBaseline({ scenario, targets: [] }, before, 0.25);
    expect(comparison.isSameScenario).toBe(false);
    expect(comparison.rows).toEqual([]);

    const morePairs = { ...result([1_000], [100]), scenario: parseScenario({ pairs: 9 }) };
    expect(compareWithBaseline(result([1_000], [100]), morePairs, 0.25).isSameScenario).toBe(true);
  });
});

describe('readBaseline', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flywheel-baseline-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a result written with --json', async () => {
    const file = join(dir, 'ok.json');
    await writeFile(file, JSON.stringify({ version: 1, ...result([1_000], [100]) }));
    expect((await readBaseline(file)).targets).toHaveLength(1);
  });

  it('names the file and the problem when it is missing, not JSON or not a result', async () => {
    const notJson = join(dir, 'bad.json');
    const other = join(dir, 'other.json');
    await writeFile(notJson, '{ nope');
    await writeFile(other, JSON.stringify({ version: 7, targets: [] }));

    await expect(readBaseline(join(dir, 'none.json'))).rejects.toThrow(/none\.json: no such file/);
    await expect(readBaseline(notJson)).rejects.toThrow(/bad\.json: not valid JSON/);
    await expect(readBaseline(other)).rejects.toThrow(/not a flywheel bench result of version 1/);
  });
});
