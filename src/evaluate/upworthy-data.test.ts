import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPath, hasData, SKIP_NOTE } from '../../test/support/data.ts';
import { isConfigError } from '../errors.ts';
import { loadHeadlineTests } from './upworthy-data.ts';

const UPWORTHY = dataPath('upworthy/ains-arch-upworthy-hierarchy');

describe('loadHeadlineTests on crafted files', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flywheel-upworthy-'));
    const header = ',0,1,2\n';
    await writeFile(
      join(dir, 'n_matrix.csv'),
      header +
        [
          'good,100.0,50.0,0.0',
          'one-arm,10,0,0',
          'more-clicks,5,5,0',
          'text,5,x,0',
          'ghost,0,0,0',
          'lonely,10,10,0',
        ].join('\n') +
        '\n',
    );
    await writeFile(
      join(dir, 'y_matrix.csv'),
      header +
        [
          'good,7.0,2.0,0.0',
          'one-arm,1,0,0',
          'more-clicks,6,1,0',
          'text,1,1,0',
          'ghost,0,0,3',
        ].join('\n'),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps the arms with impressions and skips each bad row with its reason', async () => {
    const { tests, skipped } = await loadHeadlineTests(dir);

    expect(tests).toEqual([
      { id: 'good', impressions: Float64Array.from([100, 50]), clicks: Float64Array.from([7, 2]) },
    ]);
    expect(skipped).toEqual([
      { id: 'one-arm', line: 3, reason: '1 arm(s) with impressions; a test needs at least 2' },
      { id: 'more-clicks', line: 4, reason: 'arm 0 has 6 clicks but only 5 impressions' },
      {
        id: 'text',
        line: 5,
        reason: 'arm 1 has impressions "x" and clicks "1"; expected whole numbers >= 0',
      },
      { id: 'ghost', line: 6, reason: 'arm 2 has 3 clicks but only 0 impressions' },
      { id: 'lonely', line: 7, reason: `no row for test "lonely" in ${join(dir, 'y_matrix.csv')}` },
    ]);
  });

  it('names the folder and the fix when a file is missing', async () => {
    const error = await loadHeadlineTests(join(dir, 'nowhere')).catch((e: unknown) => e);
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toContain('n_matrix.csv (ENOENT); pass --data DIR');
  });
});

describe.skipIf(!hasData)(`loadHeadlineTests on the archive${SKIP_NOTE}`, () => {
  it('reads the 4,873 tests with the totals SOURCE.md gives', async () => {
    const { tests, skipped } = await loadHeadlineTests(UPWORTHY);
    const sum = (key: 'impressions' | 'clicks') =>
      tests.reduce((total, t) => total + t[key].reduce((a, b) => a + b, 0), 0);

    expect(skipped).toEqual([]);
    expect(tests).toHaveLength(4_873);
    expect(sum('impressions')).toBe(81_024_151);
    expect(sum('clicks')).toBe(1_231_208);
    const byArms = new Map<number, number>();
    for (const t of tests)
      byArms.set(t.impressions.length, (byArms.get(t.impressions.length) ?? 0) + 1);
    expect([byArms.get(4), byArms.get(5), byArms.get(6), byArms.get(3), byArms.get(2)]).toEqual([
      2_516, 928, 865, 182, 127,
    ]);
    expect(tests[0]).toEqual({
      id: '51436061220cb800020001e7',
      impressions: Float64Array.from([2629, 2661, 2539, 2551]),
      clicks: Float64Array.from([68, 63, 49, 39]),
    });
  });
});
