import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { REPORTED_EVENTS, createCliLogger } from './logging.ts';

function capture(): { stream: PassThrough; lines: () => string[] } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== ''),
  };
}

describe('createCliLogger', () => {
  it('writes one readable line per event in the pretty format', () => {
    const out = capture();
    const logger = createCliLogger('warn', { format: 'pretty', destination: out.stream });
    logger
      .child({ task: 'scrape', runId: 'r1' })
      .warn({ origin: 'https://a.example', waitMs: 1500, reason: 'quota low' }, 'pacing');

    const lines = out.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[\d\d:\d\d:\d\d\] WARN: scrape: pacing {2}origin=https:\/\/a\.example waitMs=1500 reason="quota low"$/,
    );
  });

  it('writes JSON lines when asked', () => {
    const out = capture();
    createCliLogger('warn', { format: 'json', destination: out.stream }).warn({ a: 1 }, 'pacing');

    expect(JSON.parse(out.lines()[0]!)).toMatchObject({ level: 40, a: 1, msg: 'pacing' });
  });

  it('leaves out, at the default level, the warnings the report lists', () => {
    const out = capture();
    const logger = createCliLogger('warn', { format: 'json', destination: out.stream });
    logger.child({ task: 'health' }).warn({ target: 'service:gone' }, 'target down');
    logger.error({ error: 'boom' }, 'task failed');
    logger.warn({ attempt: 1 }, 'task attempt failed');

    expect(out.lines().map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual([
      'task attempt failed',
    ]);
  });

  it('logs every event at info and below, for a complete log', () => {
    const out = capture();
    const logger = createCliLogger('info', { format: 'json', destination: out.stream });
    logger.warn({ target: 'service:gone' }, 'target down');
    logger.info({}, 'task started');

    expect(out.lines()).toHaveLength(2);
  });
});

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(path);
      return Promise.resolve(
        path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : ([] as string[]),
      );
    }),
  );
  return nested.flat();
}

describe('REPORTED_EVENTS', () => {
  it('names events that the code really logs at warn or error', async () => {
    const root = new URL('..', import.meta.url).pathname;
    const files = (await sourceFiles(root)).filter((file) => !file.endsWith('cli/logging.ts'));
    const texts = await Promise.all(files.map((file) => readFile(file, 'utf8')));
    const code = texts.join('\n').replace(/\s+/g, ' ');

    for (const event of REPORTED_EVENTS) {
      // The message is the call's last argument, maybe followed by a trailing comma.
      const call = new RegExp(`\\.(warn|error)\\([^;]*'${event}',? ?\\)`);
      expect(call.test(code), `no warn/error logs '${event}'`).toBe(true);
    }
  });
});
