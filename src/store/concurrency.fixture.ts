/**
 * A child process for the store's concurrency test: adds one success to an arm, N times, each
 * increment its own transaction. Usage: `tsx concurrency.fixture.ts <db path> <arm> <count>`.
 * @internal
 */
import { openSqliteStore } from './sqlite.ts';

const [path, arm, count] = process.argv.slice(2);
if (path === undefined || arm === undefined || count === undefined) {
  throw new Error('usage: concurrency.fixture.ts <db path> <arm> <count>');
}

const store = openSqliteStore(path);
for (let i = 0; i < Number(count); i++) store.incrementArms([{ arm, successes: 1, failures: 0 }]);
store.close();
