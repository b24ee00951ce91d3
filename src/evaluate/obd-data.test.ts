import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConfigError, isParseError } from '../errors.ts';
import { loadBanditLog } from './obd-data.ts';

describe('loadBanditLog', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flywheel-obd-'));
    await writeFile(
      join(dir, 'log.csv'),
      [
        ',timestamp,item_id,position,click,propensity_score,user_feature_0',
        '0,2019-11-24 00:00:03+00:00,2,1,0,0.5,a',
        '1,2019-11-24 00:00:01+00:00,4,2,1,0.25,b',
        '2,2019-11-24 00:00:02+00:00,-1,1,0,0.5,c',
        '3,2019-11-24 00:00:02+00:00,1,3,2,0.5,d',
        '4,2019-11-24 00:00:02+00:00,1,3,0,0,e',
        '5,2019-11-24 00:00:02+00:00,0,3,1,1,f',
      ].join('\r\n'),
    );
    await writeFile(join(dir, 'no-click.csv'), ',timestamp,item_id,position,propensity_score\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads rows in time order as typed arrays and skips bad rows with their reason', async () => {
    const log = await loadBanditLog(join(dir, 'log.csv'));

    expect(log.rows).toBe(3);
    expect(log.items).toBe(5);
    expect(Array.from(log.item)).toEqual([4, 0, 2]);
    expect(Array.from(log.position)).toEqual([2, 3, 1]);
    expect(Array.from(log.click)).toEqual([1, 1, 0]);
    expect(Array.from(log.propensity)).toEqual([0.25, 1, 0.5]);
    expect(log.skipped).toEqual([
      { line: 4, reason: 'item_id "-1"; expected an integer >= 0' },
      { line: 5, reason: 'click "2"; expected 0 or 1' },
      { line: 6, reason: 'propensity_score "0"; expected (0, 1]' },
    ]);
  });

  it('names a missing column and a missing file', async () => {
    const noColumn = await loadBanditLog(join(dir, 'no-click.csv')).catch((e: unknown) => e);
    expect(isParseError(noColumn)).toBe(true);
    expect((noColumn as Error).message).toContain('no "click" column');

    const missing = await loadBanditLog(join(dir, 'absent.csv')).catch((e: unknown) => e);
    expect(isConfigError(missing)).toBe(true);
    expect((missing as Error).message).toContain('absent.csv (ENOENT); pass --data DIR');
  });
});
