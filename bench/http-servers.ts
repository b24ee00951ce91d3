/**
 * The benchmark's servers, in a child process so that neither their event loop nor their CPU
 * time mixes with the client's: a JSON endpoint of about 2 KB, and a paginated listing that
 * answers after a fixed delay. Both count the TCP connections they accept.
 */
import { spawn } from 'node:child_process';

/** Runs in the child; plain JavaScript, given to `node -e`. */
const SERVER_SOURCE = `
const { createServer } = require('node:http');
const parentPort = { postMessage: (message) => process.send(message), close: () => process.disconnect() };
const workerData = { latencyMs: Number(process.env.BENCH_LATENCY_MS) };

const item = (i) => ({ id: String(100000 + i), author: 'bench', likes: i * 7, text: 'lorem ipsum '.repeat(6) });
const json = JSON.stringify({ items: Array.from({ length: 16 }, (_, i) => item(i)), next: null });
const counts = { json: 0, pages: 0 };

function listen(server, name) {
  server.keepAliveTimeout = 30000;
  server.headersTimeout = 35000;
  server.on('connection', () => { counts[name] += 1; });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

const jsonServer = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
});

let latencyMs = workerData.latencyMs;
const pageServer = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const page = Number(url.searchParams.get('page') ?? '1');
  const pages = Number(url.searchParams.get('pages') ?? '1');
  const body = JSON.stringify({
    items: Array.from({ length: 10 }, (_, i) => item(page * 10 + i)),
    next: page < pages ? page + 1 : null,
  });
  setTimeout(() => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }, latencyMs);
});

Promise.all([listen(jsonServer, 'json'), listen(pageServer, 'pages')]).then(([jsonPort, pagesPort]) => {
  parentPort.postMessage({ type: 'ready', json: jsonPort, pages: pagesPort, size: Buffer.byteLength(json) });
});

process.on('message', (message) => {
  if (message.type === 'counts') {
    parentPort.postMessage({ type: 'counts', ...counts });
  } else if (message.type === 'latency') {
    latencyMs = message.latencyMs;
    parentPort.postMessage({ type: 'latency' });
  } else if (message.type === 'reset') {
    jsonServer.closeAllConnections();
    pageServer.closeAllConnections();
    counts.json = 0;
    counts.pages = 0;
    parentPort.postMessage({ type: 'reset' });
  } else if (message.type === 'stop') {
    jsonServer.closeAllConnections();
    pageServer.closeAllConnections();
    jsonServer.close();
    pageServer.close();
    parentPort.close();
  }
});
`;

/** The running servers and their controls. */
export interface BenchServers {
  /** Origin of the 2 KB JSON endpoint. */
  jsonOrigin: string;
  /** Origin of the paginated listing (`/list?page=N&pages=P`). */
  pagesOrigin: string;
  /** Size of the JSON body, bytes. */
  jsonBytes: number;
  /** Connections each server accepted since the last reset. */
  counts(): Promise<{ json: number; pages: number }>;
  /** Closes every open connection and zeroes the counts. */
  reset(): Promise<void>;
  setLatency(latencyMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts both servers in a child process. */
export async function startBenchServers(latencyMs: number): Promise<BenchServers> {
  const child = spawn(process.execPath, ['-e', SERVER_SOURCE], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_LATENCY_MS: String(latencyMs) },
  });
  const ask = <T>(type: string, extra: object = {}): Promise<T> =>
    new Promise((resolve) => {
      const onMessage = (message: { type: string }): void => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        resolve(message as T);
      };
      child.on('message', onMessage);
      child.send({ type, ...extra });
    });
  const ready = await new Promise<{ json: number; pages: number; size: number }>((resolve) =>
    child.once('message', (message) =>
      resolve(message as { json: number; pages: number; size: number }),
    ),
  );

  return {
    jsonOrigin: `http://127.0.0.1:${ready.json}`,
    pagesOrigin: `http://127.0.0.1:${ready.pages}`,
    jsonBytes: ready.size,
    counts: () => ask<{ json: number; pages: number }>('counts'),
    reset: () => ask<void>('reset'),
    setLatency: (ms) => ask<void>('latency', { latencyMs: ms }),
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      await exited;
    },
  };
}
