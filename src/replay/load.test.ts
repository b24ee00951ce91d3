import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isRecordingError } from '../errors.ts';
import { loadCassettes } from './load.ts';
import { caught } from '../../test/support/errors.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flywheel-load-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const zipped = gzipSync('{"ok":true}');

const betamax = {
  interactions: [
    {
      request: {
        method: 'get',
        uri: 'https://api.example.com/a?x=1',
        headers: { Accept: ['*/*'], 'User-Agent': 'ua' },
        body: { encoding: 'utf-8', string: '' },
      },
      response: {
        status: { code: 200, message: 'OK' },
        headers: { 'Content-Encoding': ['gzip'], 'Content-Type': 'application/json' },
        body: { base64_string: zipped.toString('base64') },
      },
      recorded_at: '2026-01-01T00:00:00',
    },
    {
      request: { method: 'POST', uri: 'https://api.example.com/b', headers: {}, body: 'k=v' },
      response: {
        status: { code: '201', message: 'Created' },
        headers: {},
        body: { string: 'made' },
      },
    },
  ],
};

const vcr = `interactions:
- request:
    body: null
    headers:
      Accept:
      - '*/*'
    method: GET
    uri: http://localhost:3000/z
  response:
    body:
      string: !!binary |
        ${zipped.toString('base64')}
    headers:
      Content-Encoding:
      - gzip
    status:
      code: 200
      message: OK
version: 1
`;

describe('loadCassettes', () => {
  it('reads Betamax JSON with base64 and text bodies', async () => {
    const file = join(dir, 'one.json');
    await writeFile(file, JSON.stringify(betamax));
    const cassette = await loadCassettes(file);

    expect(cassette.files).toEqual([file]);
    expect(cassette.interactions).toHaveLength(2);
    const [first, second] = cassette.interactions;
    expect(first?.request).toEqual({
      method: 'GET',
      uri: 'https://api.example.com/a?x=1',
      headers: { Accept: ['*/*'], 'User-Agent': ['ua'] },
      body: '',
    });
    expect(first?.response.body.equals(zipped)).toBe(true);
    expect(first?.response.isBodyText).toBe(false);
    expect(first?.response.headers).toEqual({
      'Content-Encoding': ['gzip'],
      'Content-Type': ['application/json'],
    });
    expect(first?.recordedAt).toBe('2026-01-01T00:00:00');
    expect(second?.response.status).toBe(201);
    expect(second?.response.body.toString()).toBe('made');
    expect(second?.request.body).toBe('k=v');
    expect(second?.recordedAt).toBeNull();
  });

  it('reads vcrpy YAML with a !!binary body', async () => {
    const file = join(dir, 'two.yaml');
    await writeFile(file, vcr);
    const cassette = await loadCassettes(file);
    const [only] = cassette.interactions;

    expect(only?.request.body).toBeNull();
    expect(only?.response.body.equals(zipped)).toBe(true);
    expect(only?.response.isBodyText).toBe(false);
  });

  it('reads every cassette of a folder in name order', async () => {
    const folder = await mkdtemp(join(dir, 'folder-'));
    await writeFile(join(folder, 'b.yaml'), vcr);
    await writeFile(join(folder, 'a.json'), JSON.stringify(betamax));
    await writeFile(join(folder, 'notes.md'), '# not a cassette');
    const cassette = await loadCassettes(folder);

    expect(cassette.files).toEqual([join(folder, 'a.json'), join(folder, 'b.yaml')]);
    expect(cassette.interactions.map((item) => item.request.uri)).toEqual([
      'https://api.example.com/a?x=1',
      'https://api.example.com/b',
      'http://localhost:3000/z',
    ]);
  });

  it('raises RecordingError naming a truncated JSON file', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, JSON.stringify(betamax).slice(0, 120));
    const error = await caught(loadCassettes(file));

    expect(isRecordingError(error)).toBe(true);
    expect(error.message).toMatch(new RegExp(`^Cassette ${file} is not valid JSON`));
    expect(error.message).toContain('expected a Betamax JSON cassette');
  });

  it('raises RecordingError for a file without interactions', async () => {
    const file = join(dir, 'other.json');
    await writeFile(file, JSON.stringify({ status: 'UP' }));
    const error = await caught(loadCassettes(file));

    expect(isRecordingError(error)).toBe(true);
    expect(error.message).toMatch(
      new RegExp(`^Cassette ${file} has no "interactions" or "http_interactions" list`),
    );
    // The hint names both Betamax keys, as PRAW and Ruby Betamax write them.
    expect(error.message).toContain('{ "interactions": [...] } as PRAW writes it');
    expect(error.message).toContain('{ "http_interactions": [...] } as Ruby Betamax');
  });

  it('reads the http_interactions key that Ruby Betamax and VCR write', async () => {
    const file = join(dir, 'ruby.json');
    await writeFile(file, JSON.stringify({ http_interactions: betamax.interactions }));
    const cassette = await loadCassettes(file);

    expect(cassette.interactions).toHaveLength(betamax.interactions.length);
  });

  it('raises RecordingError for a cassette name that is a folder', async () => {
    const folder = join(dir, 'folder-cassettes');
    await mkdir(join(folder, 'inner.json'), { recursive: true });
    const error = await caught(loadCassettes(folder));

    expect(isRecordingError(error)).toBe(true);
    expect(error.message).toContain(`Cassette ${join(folder, 'inner.json')} cannot be read`);
  });

  it('raises RecordingError naming the interaction with a bad status', async () => {
    const file = join(dir, 'status.json');
    const bad = structuredClone(betamax);
    bad.interactions[1]!.response.status = { code: 'abc', message: 'x' };
    await writeFile(file, JSON.stringify(bad));
    const error = await caught(loadCassettes(file));

    expect(isRecordingError(error)).toBe(true);
    expect(error.message).toBe(
      `status.json interaction 1 in ${file}: expected response.status.code to be an HTTP status, got {"code":"abc","message":"x"}`,
    );
  });

  it('raises RecordingError for a missing path', async () => {
    const error = await caught(loadCassettes(join(dir, 'nope')));

    expect(isRecordingError(error)).toBe(true);
    expect(error.message).toBe(
      `Recording path ${join(dir, 'nope')} cannot be read: no such file or folder; ` +
        'expected a folder of cassettes or one cassette file',
    );
  });
});
