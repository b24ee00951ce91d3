/**
 * A child process of the store concurrency test. It opens the store, prints `ready`, waits for a
 * line on stdin (so all processes start writing together), then makes `count` updates, each its
 * own transaction, and prints `done`.
 *
 * Usage: `node --import tsx store-concurrency.fixture.ts <db> <mode> <worker> <count>`
 * - mode `increment`: one success to `hook=question` and one failure to `media=video` per update;
 * - mode `decayed`: the same through the decaying statement, all at one time (so no decay);
 * - mode `apply`: applies the outcomes of run `r<update>` (each post must count once overall).
 * @internal
 */
import { createInterface } from 'node:readline';
import { openSqliteStore } from '../../src/store/sqlite.ts';

const [path, mode, worker, count] = process.argv.slice(2);
if (path === undefined || mode === undefined || worker === undefined || count === undefined) {
  throw new Error(
    'usage: store-concurrency.fixture.ts <db> <increment|decayed|apply> <worker> <count>',
  );
}

const AT = '2024-05-01T00:00:00.000Z';
const store = openSqliteStore(path, { busyTimeoutMs: 30_000 });
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
lines.close();

for (let i = 0; i < Number(count); i++) {
  const deltas = [
    { arm: 'hook=question', successes: 1, failures: 0 },
    { arm: 'media=video', successes: 0, failures: 1 },
  ];
  if (mode === 'increment') store.incrementArms(deltas);
  else if (mode === 'decayed') store.incrementArms(deltas, { halfLifeDays: 1, at: AT });
  else if (mode === 'apply') store.applyOutcomes(`r${i % 10}`, AT);
  else throw new Error(`unknown mode ${mode} of worker ${worker}`);
}
store.close();
process.stdout.write('done\n');
