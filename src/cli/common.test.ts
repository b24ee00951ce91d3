import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isOutputError } from '../errors.ts';
import { refusal } from '../../test/support/errors.ts';
import { emptyReport } from '../../test/support/reports.ts';
import { checkOutputs, emitReport } from './common.ts';

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flywheel-cli-'));
  file = join(dir, 'sim.yaml');
  await writeFile(file, 'accounts: []\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const report = emptyReport();

describe('checkOutputs', () => {
  it('names every flag whose path cannot be written, before any work', () => {
    const message = refusal(() =>
      checkOutputs(
        {
          reportJson: join(file, 'r.json'),
          reportMd: join(dir, 'ok.md'),
          store: join(file, 's.sqlite'),
          record: file,
        },
        join(file, 's.sqlite'),
      ),
    );
    expect(message.split('\n')).toEqual([
      `--report-json: cannot write ${join(file, 'r.json')}: ${file} is a file, not a folder`,
      `--record: cannot write ${file}: ${file} is a file, not a folder`,
      `--store: cannot write ${join(file, 's.sqlite')}: ${file} is a file, not a folder`,
    ]);
  });

  it('names store.path when the store comes from the config, and skips :memory:', () => {
    expect(refusal(() => checkOutputs({}, join(file, 's.sqlite')))).toContain('store.path: ');
    expect(refusal(() => checkOutputs({}, ':memory:'))).toBe('accepted');
  });
});

describe('emitReport', () => {
  it('writes each report on its own, so one failing does not lose the other', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const markdown = join(dir, 'out', 'report.md');
    let caught: unknown;
    try {
      await emitReport(report, { reportJson: join(file, 'report.json'), reportMd: markdown });
    } catch (error) {
      caught = error;
    }

    expect(isOutputError(caught)).toBe(true);
    expect((caught as Error).message).toContain(
      `--report-json: cannot write ${join(file, 'report.json')}`,
    );
    expect(await readFile(markdown, 'utf8')).toContain('run-1');
  });
});
