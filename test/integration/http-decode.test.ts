/**
 * Compressed bodies against a real server on 127.0.0.1: `maxResponseBytes` bounds the decoded
 * body, not only the bytes on the wire, so a small compressed body cannot fill the memory.
 */
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { isHttpStatusError, isParseError } from '../../src/errors.ts';
import { createHttpClient } from '../../src/http/index.ts';
import type { HttpClient } from '../../src/http/index.ts';
import { startServer, type TestServer } from '../support/http-server.ts';
import { caught } from '../support/errors.ts';

const MiB = 1024 * 1024;

interface Answer {
  status?: number;
  encoding: string;
  body: Buffer;
}

let answer: Answer = { encoding: 'identity', body: Buffer.from('ok') };
let site: TestServer;
let http: HttpClient;

beforeAll(async () => {
  site = await startServer((req, res) => {
    if (req.url === '/plain') {
      res.end('plain');
      return;
    }
    res.writeHead(answer.status ?? 200, { 'content-encoding': answer.encoding }).end(answer.body);
  });
});

afterAll(async () => {
  await site.close();
});

beforeEach(async () => {
  await http?.close();
  http = createHttpClient({ connections: 1, maxResponseBytes: MiB, maxAttempts: 1 });
});

afterAll(async () => {
  await http.close();
});

/** 200 MiB of zeros as 200 gzip members of 1 MiB each: about 200 KB on the wire. */
function gzipBomb(): Buffer {
  const member = gzipSync(Buffer.alloc(MiB));
  return Buffer.concat(Array.from({ length: 200 }, () => member));
}

describe('a compressed body past maxResponseBytes once decoded', () => {
  it('fails with the oversize ParseError for 200 MiB of gzipped zeros (a zip bomb)', async () => {
    answer = { encoding: 'gzip', body: gzipBomb() };
    const error = await caught(http.request(`${site.base}/bomb`));

    expect(answer.body.length).toBeLessThan(MiB);
    expect(isParseError(error)).toBe(true);
    expect(error.message).toBe(
      `GET ${site.base}/bomb answered a body larger than ${MiB} bytes once decoded (content-encoding: gzip)`,
    );
    // The socket is free for the next request.
    expect((await http.request(`${site.base}/plain`)).text()).toBe('plain');
  });

  const encodings: Array<[string, string, (bytes: Buffer) => Buffer]> = [
    ['gzip', 'gzip', gzipSync],
    ['zlib deflate', 'deflate', deflateSync],
    ['raw deflate', 'deflate', deflateRawSync],
    ['brotli', 'br', brotliCompressSync],
    ['stacked gzip then brotli', 'gzip, br', (bytes) => brotliCompressSync(gzipSync(bytes))],
  ];

  it.each(encodings)('fails for %s', async (_name, encoding, compress) => {
    answer = { encoding, body: compress(Buffer.alloc(8 * MiB)) };
    const error = await caught(http.request(`${site.base}/big`));

    expect(isParseError(error)).toBe(true);
    expect(error.message).toBe(
      `GET ${site.base}/big answered a body larger than ${MiB} bytes once decoded (content-encoding: ${encoding})`,
    );
  });

  it.each(encodings)(
    'decodes %s of exactly maxResponseBytes',
    async (_name, encoding, compress) => {
      answer = { encoding, body: compress(Buffer.alloc(MiB, 'a')) };
      const response = await http.request(`${site.base}/edge`);

      expect(response.body.length).toBe(MiB);
      expect(response.body.every((byte) => byte === 0x61)).toBe(true);
    },
  );

  it('fails one byte past maxResponseBytes', async () => {
    answer = { encoding: 'br', body: brotliCompressSync(Buffer.alloc(MiB + 1)) };

    expect(isParseError(await caught(http.request(`${site.base}/edge`)))).toBe(true);
  });

  it('keeps the status of an error answer whose body is a bomb', async () => {
    answer = { status: 404, encoding: 'gzip', body: gzipBomb() };
    const error = await caught(http.request(`${site.base}/gone`));

    expect(isHttpStatusError(error) && error.status).toBe(404);
    expect(error.message).toBe(`GET ${site.base}/gone answered 404`);
  });
});
