/**
 * One `flywheel bench` child process: `node child.js JOB_FILE`. It loads only the modules of its
 * job's kind (the pipeline to measure a target, the store to import posts), so a `floor` child,
 * which loads the same set and stops, measures what loading them costs; a measuring child's peak
 * RSS minus that floor is what the work itself cost. The result goes to the job's result file as
 * JSON; a failure exits 1 with the reason on stderr.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { useLeanRuntime } from '../observe/runtime.ts';
import { maxRssBytes } from './rss.ts';
import type { ChildJob, ChildResult } from './types.ts';

// As the CLI does, before any module grows the heap: the children measure the product as it runs.
useLeanRuntime();

async function main(): Promise<void> {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: child JOB_FILE');
  const job = JSON.parse(await readFile(file, 'utf8')) as ChildJob;
  let result: ChildResult;
  switch (job.kind) {
    case 'floor': {
      await (job.modules === 'store' ? import('./import-child.ts') : import('./measure-child.ts'));
      const loaded = maxRssBytes();
      result = { kind: 'floor', peakRssBytes: loaded, loadedRssBytes: loaded };
      break;
    }
    case 'measure': {
      const { measure } = await import('./measure-child.ts');
      result = await measure(job, maxRssBytes());
      break;
    }
    case 'import': {
      const { runImport } = await import('./import-child.ts');
      result = runImport(job, maxRssBytes());
      break;
    }
  }
  await writeFile(job.resultFile, JSON.stringify(result));
}

try {
  await main();
} catch (error) {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`bench child failed: ${reason}\n`);
  process.exitCode = 1;
}
