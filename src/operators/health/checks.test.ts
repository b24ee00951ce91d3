/** checkHttp's status rule for platform probes, against a real local server. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createHttpClient } from '../../http/index.ts';
import { checkHttp } from './checks.ts';
describe('checkHttp for platform APIs', () => {
  it('counts a 4xx answer as up when asked, and a 5xx as down', async () => {
    const server = createServer((req, res) => {
      res.statusCode = req.url === '/missing' ? 404 : 502;
      res.end('no');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const http = createHttpClient({ maxAttempts: 1 });
    try {
      const up = await checkHttp(http, `http://127.0.0.1:${port}/missing`, {
        isClientErrorUp: true,
      });
      const down = await checkHttp(http, `http://127.0.0.1:${port}/bad`, { isClientErrorUp: true });
      const strict = await checkHttp(http, `http://127.0.0.1:${port}/missing`);
      expect([up.ok, up.status]).toEqual([true, 404]);
      expect([down.ok, down.error]).toEqual([false, 'status 502, expected below 500']);
      expect([strict.ok, strict.error]).toEqual([false, 'status 404, expected 2xx']);
    } finally {
      await http.close();
      server.close();
    }
  });
});
