/**
 * A worker thread of `flywheel evaluate upworthy`: loads the tests once, then simulates the
 * chunks the main thread sends.
 * @internal
 */
import { parentPort, workerData } from 'node:worker_threads';
import { simulateTest } from './bandit-sim.ts';
import type { SimulationOptions } from './bandit-sim.ts';
import { loadHeadlineTests } from './upworthy-data.ts';
import type { ChunkReply, ChunkRequest } from './workers.ts';

const { dataDir, options } = workerData as { dataDir: string; options: SimulationOptions };
const { tests } = await loadHeadlineTests(dataDir);

parentPort?.on('message', ({ start, end }: ChunkRequest) => {
  const reply: ChunkReply<ReturnType<typeof simulateTest>> = {
    start,
    results: tests.slice(start, end).map((test) => simulateTest(test, options)),
  };
  parentPort?.postMessage(reply);
});
