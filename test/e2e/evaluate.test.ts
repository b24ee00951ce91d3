/** `flywheel evaluate` as a user runs it: the real CLI in a child process. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPath, hasData, SKIP_NOTE } from '../support/data.ts';

const BIN = join(import.meta.dirname, '../../bin/flywheel.js');

async function flywheel(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('flywheel evaluate', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flywheel-evaluate-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('exits 2 naming the flag, the value and what was expected', async () => {
    const result = await flywheel(['evaluate', 'upworthy', '--limit', 'ten']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--limit: got "ten", expected a whole number >= 1');
  });

  it('exits 2 with the fix when the data folder is missing', async () => {
    const result = await flywheel(['evaluate', 'obd', '--data', join(dir, 'none')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('men.csv (ENOENT); pass --data DIR');
  });

  it.skipIf(!hasData)(`prints the comparison and writes it as JSON${SKIP_NOTE}`, async () => {
    const json = join(dir, 'out', 'upworthy.json');
    const result = await flywheel([
      'evaluate',
      'upworthy',
      '--data',
      dataPath('upworthy/ains-arch-upworthy-hierarchy'),
      '--limit',
      '2',
      '--batch-sizes',
      '10',
      '--workers',
      '1',
      '--json',
      json,
      '-q',
    ]);

    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain('2 headline tests, 20,177 impressions');
    expect(result.stdout).toMatch(/^thompson\s+10\s/m);
    const report = JSON.parse(await readFile(json, 'utf8')) as { tests: number; rows: unknown[] };
    expect(report.tests).toBe(2);
    // uniform, thompson, epsilon-greedy, explore-then-commit, oracle at one batch size.
    expect(report.rows).toHaveLength(5);
  });
});
