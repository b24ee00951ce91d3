import { readFile, readdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createHttpClient } from '../http/index.ts';
import { loadCassettes } from './load.ts';
import { createRecorder } from './recorder.ts';
import { startReplayServer } from './server.ts';

const zipped = gzipSync(JSON.stringify({ posts: ['a', 'b'] }));
let server: Server;
let origin: string;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flywheel-record-'));
  server = createServer((req, res) => {
    if (req.url?.startsWith('/gz') === true) {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/json' });
      res.end(zipped);
      return;
    }
    if (req.url === '/token') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"access_token":"live-secret","expires_in":3600}');
      return;
    }
    res.writeHead(201, 'Made', { 'content-type': 'text/plain', 'x-count': '7' });
    res.end('plain text ✓');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

describe('createRecorder', () => {
  it('writes one Betamax cassette that replays identically, gzip byte for byte', async () => {
    const recorder = createRecorder(dir);
    const live = createHttpClient({ recorder });
    const liveGz = await live.request(`${origin}/gz`, { query: { key: 'abc', q: 'x' } });
    const livePlain = await live.request(`${origin}/plain`, {
      method: 'PUT',
      body: 'hello',
      headers: { 'x-api-key': 'k', accept: 'text/plain' },
    });
    await live.close();

    expect(recorder.size).toBe(2);
    const path = await recorder.flush();
    expect(recorder.size).toBe(0);
    expect(await recorder.flush()).toBeNull();
    expect(await readdir(dir)).toEqual([path?.slice(dir.length + 1)]);
    expect(path).toMatch(/flywheel-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.json$/);

    const document = JSON.parse(await readFile(path!, 'utf8'));
    expect(document.interactions[0].request.uri).toBe(`${origin}/gz?key=<REDACTED>&q=x`);
    expect(document.interactions[0].response.body).toEqual({
      base64_string: zipped.toString('base64'),
    });
    expect(document.interactions[1].request.headers['x-api-key']).toEqual(['<REDACTED>']);
    expect(document.interactions[1].response.body).toEqual({
      encoding: 'utf-8',
      string: 'plain text ✓',
    });

    const replay = await startReplayServer(await loadCassettes(dir));
    const replayed = createHttpClient({ originMap: replay.originMap });
    try {
      const gz = await replayed.request(`${origin}/gz`, { query: { key: 'other', q: 'x' } });
      const plain = await replayed.request(`${origin}/plain`, { method: 'PUT', body: 'hello' });
      const raw = await request(`${replay.originMap.get(origin)}/gz?q=x&key=z`);
      const rawBytes = Buffer.from(await raw.body.arrayBuffer());

      expect(gz.body.equals(liveGz.body)).toBe(true);
      expect(plain.status).toBe(201);
      expect(plain.text()).toBe(livePlain.text());
      expect(plain.headers['x-count']).toBe('7');
      expect(rawBytes.equals(zipped)).toBe(true);
      expect(replay.stats().misses).toBe(0);
    } finally {
      await replayed.close();
      await replay.close();
    }
  });

  it('redacts tokens in JSON token responses', async () => {
    const sub = await mkdtemp(join(dir, 'token-'));
    const recorder = createRecorder(sub);
    const live = createHttpClient({ recorder });
    await live.request(`${origin}/token`, { method: 'POST', body: 'client_secret=s&grant_type=x' });
    await live.close();
    const document = JSON.parse(await readFile((await recorder.flush())!, 'utf8'));

    expect(document.interactions[0].request.body.string).toBe(
      'client_secret=<REDACTED>&grant_type=x',
    );
    expect(document.interactions[0].response.body.string).toBe(
      '{"access_token":"<REDACTED>","expires_in":3600}',
    );
  });
});
