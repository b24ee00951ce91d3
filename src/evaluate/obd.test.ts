import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { dataPath, hasData, SKIP_NOTE } from '../../test/support/data.ts';
import { evaluateObd } from './obd.ts';
import type { ObdOptions } from './obd.ts';
import { renderObd } from './render.ts';

const OPTIONS: ObdOptions = {
  dataDir: dataPath('open-bandit-dataset'),
  campaign: 'men',
  seed: 1,
  train: 'bts',
  priorAlpha: 1,
  priorBeta: 1,
  draws: 20_000,
  resamples: 200,
  level: 0.95,
};

/** A log's item and click columns, read here independently of the loader. */
async function readLog(policy: string): Promise<Array<{ item: number; click: number }>> {
  const text = await readFile(dataPath(`open-bandit-dataset/${policy}/men/men.csv`), 'utf8');
  const [header, ...lines] = text.trim().split('\n');
  const columns = header!.split(',');
  const item = columns.indexOf('item_id');
  const click = columns.indexOf('click');

  return lines.map((line) => {
    const fields = line.split(',');
    return { item: Number(fields[item]), click: Number(fields[click]) };
  });
}

describe.skipIf(!hasData)(`flywheel evaluate obd${SKIP_NOTE}`, () => {
  it("estimates the policy's CTR by IPW and SNIPW as a hand computation from the CSV does", async () => {
    const report = await evaluateObd(OPTIONS);
    const rows = await readLog('random');
    const pi = new Map(report.policy.map((p) => [p.item, p.probability]));
    // Every random-log row was shown with probability 1/34, so w = pi(item) * 34.
    const weights = rows.map((row) => pi.get(row.item)! * 34);
    const weightedClicks = rows.reduce((sum, row, i) => sum + weights[i]! * row.click, 0);
    const ipw = report.estimates.find((e) => e.name === 'IPW')!;
    const snipw = report.estimates.find((e) => e.name === 'SNIPW')!;

    // SOURCE.md: 10,000 impressions per policy; 46 clicks in the random log, 69 in the bts log.
    expect(report.evaluation).toMatchObject({ rows: 10_000, clicks: 46, items: 34 });
    expect(report.training).toMatchObject({ rows: 10_000, clicks: 69 });
    expect(report.policy.reduce((sum, p) => sum + p.shown, 0)).toBe(10_000);
    expect(report.policy.reduce((sum, p) => sum + p.probability, 0)).toBeCloseTo(1, 12);
    expect(ipw.ctr).toBeCloseTo(weightedClicks / 10_000, 12);
    expect(snipw.ctr).toBeCloseTo(weightedClicks / weights.reduce((a, b) => a + b, 0), 12);
    expect(ipw.interval!.low).toBeLessThan(ipw.ctr!);
    expect(ipw.interval!.high).toBeGreaterThan(ipw.ctr!);

    // The logged policies' own rates: 69 / 10,000 and 46 / 10,000.
    expect(report.logged.map((e) => [e.ctr, e.support])).toEqual([
      [0.0069, 10_000],
      [0.0046, 10_000],
    ]);
    // Replay keeps about 1 row in 34 (294 expected, sd 17) and is pinned for the seed.
    const replay = report.estimates.find((e) => e.name === 'replay')!;
    expect(Math.abs(replay.support - 10_000 / 34)).toBeLessThan(4 * 17);
    expect([replay.support, replay.ctr]).toEqual(PINNED_REPLAY);
    expect(renderObd(report)).toContain("Flywheel's policy, IPW");

    // The check: items weighted by their share of the bts log, w = share * 34.
    const bts = await readLog('bts');
    const share = new Map<number, number>();
    for (const row of bts) share.set(row.item, (share.get(row.item) ?? 0) + 1 / bts.length);
    const checkClicks = rows.reduce((sum, row) => sum + share.get(row.item)! * 34 * row.click, 0);
    expect(report.check.ctr).toBeCloseTo(checkClicks / 10_000, 12);
  });

  it('learns from the first half of the random log and evaluates on the second', async () => {
    const report = await evaluateObd({ ...OPTIONS, train: 'random' });

    // The first 5,000 rows by time have 20 clicks and the last 5,000 have 26.
    expect(report.training).toMatchObject({ rows: 5_000, clicks: 20 });
    expect(report.evaluation).toMatchObject({ rows: 5_000, clicks: 26 });
    expect(report.logged[1]!.ctr).toBe(26 / 5_000);
  });

  it('repeats itself for a seed', async () => {
    const first = await evaluateObd({ ...OPTIONS, resamples: 50 });
    const second = await evaluateObd({ ...OPTIONS, resamples: 50 });
    expect({ ...second, elapsedMs: 0 }).toEqual({ ...first, elapsedMs: 0 });
  });
});

// 316 matched rows, one of them clicked.
const PINNED_REPLAY: [number, number | null] = [316, 1 / 316];
