import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { dataPath, hasData, SKIP_NOTE } from '../../test/support/data.ts';
import { isReplayMissError } from '../errors.ts';
import { createHttpClient } from '../http/index.ts';
import type { HttpClient } from '../http/index.ts';
import { loadCassettes } from './load.ts';
import { startReplayServer } from './server.ts';
import type { ReplayServer } from './types.ts';

interface Listing {
  data: { after: string | null; children: Array<{ kind: string }> };
}

async function replaying(file: string): Promise<{ replay: ReplayServer; http: HttpClient }> {
  const replay = await startReplayServer(await loadCassettes(file));
  const http = createHttpClient({ originMap: replay.originMap, maxAttempts: 1 });

  return { replay, http };
}

async function stop(setup: { replay: ReplayServer; http: HttpClient }): Promise<void> {
  await setup.http.close();
  await setup.replay.close();
}

describe.skipIf(!hasData)(`replay of real cassettes${SKIP_NOTE}`, () => {
  it('replays the 12-interaction reddit listing chain page by page', async () => {
    const setup = await replaying(
      dataPath('reddit-praw-cassettes/TestListingGenerator.test_exhaust_items.json'),
    );
    try {
      const { http, replay } = setup;
      const token = await http.request('https://www.reddit.com/api/v1/access_token', {
        method: 'POST',
        body: 'grant_type=client_credentials',
        headers: { authorization: 'Basic x' },
      });
      expect(token.json()).toEqual({
        access_token: '<ACCESS_TOKEN>',
        token_type: 'bearer',
        expires_in: 3600,
        scope: '*',
      });

      const afters: Array<string | null> = [];
      let after: string | null = null;
      do {
        const page = await http.request('https://oauth.reddit.com/user/spez', {
          query: { sort: 'top', limit: 1024, t: 'all', raw_json: 1, after },
        });
        after = page.json<Listing>().data.after;
        afters.push(after);
      } while (after !== null);

      expect(afters).toEqual([
        't1_ct5snit',
        't1_cvqa8g8',
        't1_cszggyl',
        't1_c03d987',
        't1_c2qwzo',
        't1_c076mlt',
        't1_c1tual',
        't1_c03gpm9',
        't1_c09kna3',
        't1_c02bvo5',
        null,
      ]);
      expect(replay.stats()).toEqual({
        requests: 12,
        misses: 0,
        byOrigin: [
          {
            origin: 'https://www.reddit.com',
            localOrigin: replay.originMap.get('https://www.reddit.com'),
            requests: 1,
            misses: 0,
          },
          {
            origin: 'https://oauth.reddit.com',
            localOrigin: replay.originMap.get('https://oauth.reddit.com'),
            requests: 11,
            misses: 0,
          },
        ],
      });
      expect(http.stats().connections).toBe(2);
    } finally {
      await stop(setup);
    }
  });

  it('rewrites the mastodon link header to the local origin and follows it', async () => {
    const setup = await replaying(
      dataPath('mastodon-py-cassettes/cassettes/test_fetch_next_previous.yaml'),
    );
    try {
      const { http, replay } = setup;
      const local = replay.originMap.get('http://localhost:3000');
      const base = 'http://localhost:3000/api/v1/accounts/117020565966271181/statuses';
      const first = await http.request(`${base}?limit=5`);

      expect(first.headers.link).toBe(
        `<${local}/api/v1/accounts/117020565966271181/statuses?limit=5&max_id=117020580489281910>; rel="next", <${local}/api/v1/accounts/117020565966271181/statuses?limit=5&min_id=117020580518794573>; rel="prev"`,
      );
      expect(first.headers['content-length']).toBe('10681');

      const next = /<([^>]+)>; rel="next"/.exec(first.headers.link ?? '')?.[1] ?? '';
      const second = await http.request(next);
      const ids = second.json<Array<{ id: string }>>().map((status) => status.id);

      expect(ids).toHaveLength(5);
      expect(ids.every((id) => id < '117020580489281910')).toBe(true);
      expect(second.headers.link).toContain(`<${local}/api/v1/accounts/`);
    } finally {
      await stop(setup);
    }
  });

  it('answers the health-checks /health recording with OK', async () => {
    const setup = await replaying(dataPath('health-checks/test_health.yaml'));
    try {
      const response = await setup.http.request('http://localhost:3000/health');

      expect(response.status).toBe(200);
      expect(response.text()).toBe('OK');
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    } finally {
      await stop(setup);
    }
  });
});

describe('replay server', () => {
  let dir: string;
  let replay: ReplayServer;
  const zipped = gzipSync(JSON.stringify({ items: [1, 2, 3] }));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flywheel-replay-'));
    const cassette = {
      interactions: [
        {
          request: {
            method: 'GET',
            uri: 'https://api.example.com/items?page=1',
            headers: {},
            body: null,
          },
          response: {
            status: { code: 200, message: 'OK' },
            headers: {
              'Content-Encoding': ['gzip'],
              'Content-Length': ['999'],
              'Transfer-Encoding': ['chunked'],
              Connection: ['keep-alive'],
              Location: ['https://api.example.com/items?page=2'],
            },
            body: { base64_string: zipped.toString('base64') },
          },
        },
      ],
    };
    await writeFile(join(dir, 'gz.json'), JSON.stringify(cassette));
    replay = await startReplayServer(await loadCassettes(dir));
  });

  afterAll(async () => {
    await replay.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends a gzip body byte for byte with recomputed length and no hop-by-hop headers', async () => {
    const local = replay.originMap.get('https://api.example.com');
    const response = await request(`${local}/items?page=1`);
    const bytes = Buffer.from(await response.body.arrayBuffer());

    expect(bytes.equals(zipped)).toBe(true);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers['content-length']).toBe(String(zipped.length));
    expect(response.headers['transfer-encoding']).toBeUndefined();
    expect(response.headers.location).toBe(`${local}/items?page=2`);
  });

  it('answers a miss with 404, a JSON body and the miss header', async () => {
    const local = replay.originMap.get('https://api.example.com');
    const response = await request(`${local}/nothing?x=1`, { method: 'DELETE' });
    const body: unknown = await response.body.json();

    expect(response.statusCode).toBe(404);
    expect(response.headers['x-flywheel-replay']).toBe('miss');
    expect(body).toEqual({ error: 'no recording', method: 'DELETE', path: '/nothing?x=1' });
    expect(replay.stats().misses).toBe(1);
  });

  it('decodes the replayed gzip body in the HTTP client, and refuses unknown origins', async () => {
    const http = createHttpClient({ originMap: replay.originMap });
    try {
      const response = await http.request('https://api.example.com/items', { query: { page: 1 } });
      const error = await http.request('https://elsewhere.example/').catch((e: unknown) => e);

      expect(response.json()).toEqual({ items: [1, 2, 3] });
      expect(isReplayMissError(error)).toBe(true);
    } finally {
      await http.close();
    }
  });
});
