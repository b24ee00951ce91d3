/**
 * Starting bench children. Each measurement runs in a fresh Node process, so one run's warm JIT,
 * pools, caches and heap never reach the next. Children run compiled JavaScript by default (as a
 * deployment does after `npm run build`; the TypeScript is compiled once into
 * `.flywheel/bench/dist` and again only when a source file is newer), or through tsx, as
 * `flywheel` runs from a checkout.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { ChildJob, ChildResult } from './types.ts';

/** How children run. */
export type Runtime = 'compiled' | 'tsx';

/** The command that starts a child, the job file's path going last. */
export interface ChildCommand {
  runtime: Runtime;
  args: string[];
}

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/**
 * The command for `runtime`, compiling first when needed, with `nodeOptions` (Node and V8 flags)
 * before the script. A bench that itself runs as compiled JavaScript starts its sibling
 * `child.js` as it is.
 * Raises Error when the compilation fails (with tsc's output).
 */
export async function prepareChildren(
  runtime: Runtime,
  onStatus: (line: string) => void = () => undefined,
  nodeOptions: readonly string[] = [],
): Promise<ChildCommand> {
  if (import.meta.url.endsWith('.js')) {
    return { runtime: 'compiled', args: [...nodeOptions, join(here, 'child.js')] };
  }
  const root = join(here, '..', '..');
  if (runtime === 'tsx') {
    const loader = pathToFileURL(require.resolve('tsx')).href;
    return {
      runtime,
      args: [...nodeOptions, '--import', loader, join(root, 'src', 'bench', 'child.ts')],
    };
  }

  const outDir = join(root, '.flywheel', 'bench', 'dist');
  const stamp = join(outDir, '.built');
  if (!(await isUpToDate(stamp, join(root, 'src')))) {
    onStatus(`compiling the sources for the children into ${outDir} (tsc) ...`);
    await compile(root, outDir);
    await writeFile(stamp, new Date().toISOString());
  }

  return { runtime, args: [...nodeOptions, join(outDir, 'bench', 'child.js')] };
}

async function isUpToDate(stamp: string, sources: string): Promise<boolean> {
  let built: number;
  try {
    built = (await stat(stamp)).mtimeMs;
  } catch {
    return false;
  }
  const files = (await readdir(sources, { recursive: true })).filter((file) =>
    file.endsWith('.ts'),
  );
  for (const file of files) {
    if ((await stat(join(sources, file))).mtimeMs > built) return false;
  }

  return true;
}

async function compile(root: string, outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const tsc = require.resolve('typescript/bin/tsc');
  try {
    await promisify(execFile)(
      process.execPath,
      [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir, '--declaration', 'false'],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const output = (error as { stdout?: string }).stdout ?? '';
    throw new Error(
      `compiling the bench children failed (try --runtime tsx):\n${output.slice(0, 4_000)}`,
      { cause: error },
    );
  }
}

/** A finished child: its result and its time from spawn to exit. */
export interface ChildOutcome {
  result: ChildResult;
  processMs: number;
}

/**
 * Runs one child on `job` and reads its result. Raises Error when the child fails, exits without
 * a result or outlives `timeoutMs` (it is killed).
 */
export async function runChild(
  command: ChildCommand,
  job: ChildJob,
  jobFile: string,
  timeoutMs: number,
): Promise<ChildOutcome> {
  await writeFile(jobFile, JSON.stringify(job));
  const started = performance.now();
  const child = spawn(process.execPath, [...command.args, jobFile], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 8_000) stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);

  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  }).finally(() => clearTimeout(timer));
  const processMs = performance.now() - started;
  if (code !== 0) {
    const reason = code === null ? `was killed after ${timeoutMs} ms` : `exited with ${code}`;
    throw new Error(
      `a bench child (${describeJob(job)}) ${reason}: ${stderr.trim() || 'no output'}`,
    );
  }

  const result = JSON.parse(await readFile(job.resultFile, 'utf8')) as ChildResult;
  return { result, processMs };
}

function describeJob(job: ChildJob): string {
  switch (job.kind) {
    case 'floor':
      return 'floor';
    case 'import':
      return `import of ${job.posts} posts`;
    case 'measure':
      return `${job.target}, ${job.profile}`;
  }
}
