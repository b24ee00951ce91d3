/**
 * A small pool of worker threads that each run one module, fed chunks of work by index so the
 * faster worker takes more. The evaluation uses it to spread tests over the machine's cores.
 * @internal
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** A request to a worker: simulate items [start, end). */
export interface ChunkRequest {
  start: number;
  end: number;
}

/** A worker's answer to one chunk. */
export interface ChunkReply<T> {
  start: number;
  results: T[];
}

/**
 * The URL of tsx's ESM register API, read from its package.json: import.meta.resolve is missing
 * under test runners' transforms, and the CommonJS entry of the API resolves its own files wrong.
 */
function tsxApiUrl(): string {
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports: { './esm/api': { import: { default: string } } };
  };

  return pathToFileURL(join(dirname(manifestPath), manifest.exports['./esm/api'].import.default))
    .href;
}

/**
 * Starts a worker on `moduleUrl`. Under tsx (a `.ts` module) the worker first registers tsx,
 * because worker threads do not inherit the loader hooks on Node 20.
 */
function startWorker(moduleUrl: URL, workerData: unknown): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, { workerData });
  const code =
    `import(${JSON.stringify(tsxApiUrl())}).then((tsx) => {` +
    ` tsx.register(); return import(${JSON.stringify(moduleUrl.href)}); })`;

  return new Worker(code, { eval: true, workerData });
}

/**
 * Runs items [0, total) through `workers` workers in chunks of `chunk`, and returns the results
 * in item order, whatever order the chunks finished in.
 * @param onChunk called after each chunk with the items done so far.
 * @throws the first error a worker raises; the other workers are terminated.
 */
export async function runInWorkers<T>(
  moduleUrl: URL,
  workerData: unknown,
  options: { total: number; workers: number; chunk: number; onChunk?: (done: number) => void },
): Promise<T[]> {
  const { total, chunk } = options;
  const results = new Array<T[]>(Math.ceil(total / chunk));
  let next = 0;
  let done = 0;
  const pool = Array.from({ length: Math.max(1, options.workers) }, () =>
    startWorker(moduleUrl, workerData),
  );

  const feed = (worker: Worker): boolean => {
    if (next >= total) return false;
    const request: ChunkRequest = { start: next, end: Math.min(total, next + chunk) };
    next = request.end;
    worker.postMessage(request);
    return true;
  };

  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            worker.on('message', (reply: ChunkReply<T>) => {
              results[reply.start / chunk] = reply.results;
              done += reply.results.length;
              options.onChunk?.(done);
              if (!feed(worker)) resolve();
            });
            worker.once('error', reject);
            worker.once('exit', (code) => {
              if (code !== 0) reject(new Error(`evaluation worker exited with code ${code}`));
            });
            if (!feed(worker)) resolve();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }

  return results.flat();
}
