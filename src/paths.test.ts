import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStoreError } from './errors.ts';
import { whyNotWritable, whyNotWritableFolder } from './paths.ts';
import { openSqliteStore } from './store/index.ts';

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flywheel-paths-'));
  file = join(dir, 'sim.yaml');
  await writeFile(file, 'accounts: []\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('whyNotWritable', () => {
  it('accepts a new file in missing folders, and an existing file', () => {
    expect(whyNotWritable(join(dir, 'a', 'b', 'report.json'))).toBeNull();
    expect(whyNotWritable(file)).toBeNull();
  });

  it('names the file that stands where a folder must be (the trial case)', () => {
    expect(whyNotWritable(join(file, 'report.json'))).toBe(`${file} is a file, not a folder`);
    expect(whyNotWritable(join(file, 'deeper', 'report.json'))).toBe(
      `${file} is a file, not a folder`,
    );
  });

  it('refuses a folder as a file', () => {
    expect(whyNotWritable(dir)).toBe(`${dir} is a folder`);
  });
});

describe('whyNotWritableFolder', () => {
  it('accepts an existing or creatable folder and refuses a file', () => {
    expect(whyNotWritableFolder(dir)).toBeNull();
    expect(whyNotWritableFolder(join(dir, 'new', 'cassettes'))).toBeNull();
    expect(whyNotWritableFolder(file)).toBe(`${file} is a file, not a folder`);
  });
});

describe('the SQLite store on a bad path', () => {
  it('raises a StoreError naming the path and the reason, not a raw EEXIST', () => {
    const path = join(file, 's.sqlite');
    let caught: unknown;
    try {
      openSqliteStore(path).close();
    } catch (error) {
      caught = error;
    }
    expect(isStoreError(caught)).toBe(true);
    expect((caught as Error).message).toBe(
      `cannot open the SQLite store at ${path}: ${file} is a file, not a folder`,
    );
  });
});
