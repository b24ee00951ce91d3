/**
 * The CLI as a person meets it, run as a child process: every case a fresh-user trial found is
 * kept here with its exit code and the words of its message. Bad input exits 2 before any work;
 * Ctrl-C exits 130 with a partial report.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';

const CLI = new URL('../../src/cli/main.ts', import.meta.url).pathname;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to its end (30 s at most) and returns its exit code and output. */
function flywheel(args: string[], cwd?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CLI, ...args],
      { timeout: 30_000, cwd, env: { ...process.env, FORCE_COLOR: '0' } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let dir: string;
const path = (name: string) => join(dir, name);

async function config(name: string, body: unknown): Promise<string> {
  await writeFile(path(name), stringify(body));
  return path(name);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flywheel-cli-'));
  await writeFile(path('sim.yaml'), 'accounts: []\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('config errors exit 2 naming the field, the value and what was expected', () => {
  it('checks account options against the platform (accounts[3].options.listing)', async () => {
    const file = await config('listing.yaml', {
      accounts: [
        { platform: 'hackernews', id: 'pg' },
        { platform: 'hackernews', id: 'dang' },
        { platform: 'reddit', id: 'u/spez', options: { listing: 'overview' } },
        { platform: 'reddit', id: 'u/spez', options: { listing: 'bogus', colour: 'red' } },
      ],
    });
    const result = await flywheel(['run', '--config', file, '--store', path('a.sqlite')]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'accounts[3].options.listing: expected one of "submitted"|"overview"|"comments" (the listings of a user), got "bogus"',
    );
    expect(result.stderr).toContain('accounts[3].options.colour: unknown option for a reddit user');
    expect(existsSync(path('a.sqlite'))).toBe(false);
  });

  it('refuses http.timeoutMs: 0, durations in words and duplicate accounts', async () => {
    const file = await config('bounds.yaml', {
      http: { timeoutMs: 0, deadlineMs: '5 minutes' },
      accounts: [
        { platform: 'hackernews', id: 'pg' },
        { platform: 'hackernews', id: 'pg' },
      ],
    });
    const result = await flywheel(['run', '--config', file]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'http.timeoutMs: expected a duration of at least 1 ms (0 would fail every request), got 0',
    );
    expect(result.stderr).toContain(
      'http.deadlineMs: expected a duration: milliseconds (1500) or a number with a unit: "250ms", "1.5s", "2m", "1h", got "5 minutes"',
    );
    expect(result.stderr).toContain('accounts[1]: the same listing as accounts[0] (hackernews pg)');
  });
});

describe('numeric flags exit 2 naming the flag, the value and the range', () => {
  it.each([
    [['sim', '--port', 'abc'], '--port: got "abc", expected a whole number from 0 to 65535'],
    [['sim', '--port', '70000'], '--port: got "70000", expected a whole number from 0 to 65535'],
    [['sim', '--port', '-1'], '--port: got "-1", expected a whole number from 0 to 65535'],
    [['sim', '--accounts', 'abc'], '--accounts: got "abc", expected a whole number from 1 to 1000'],
    [['sim', '--accounts', '-1'], '--accounts: got "-1", expected a whole number from 1 to 1000'],
    [['sim', '--accounts', '0'], '--accounts: got "0", expected a whole number from 1 to 1000'],
    [['sim', '--seed', 'abc'], '--seed: got "abc", expected a whole number from 0 to 4294967295'],
    [['sim', '--latency', '-5'], '--latency: got "-5", expected a duration from 0 to 60000 ms'],
    [['demo', '--seed', 'abc'], '--seed: got "abc", expected a whole number from 0 to 4294967295'],
    [
      ['demo', '--accounts', 'abc'],
      '--accounts: got "abc", expected a whole number from 1 to 1000',
    ],
    [['serve', '--port', 'x'], '--port: got "x", expected a whole number from 0 to 65535'],
  ])('flywheel %j', async (args, message) => {
    const result = await flywheel(args);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`flywheel: ${message}`);
    expect(result.stdout).toBe('');
  });

  it('gives the demo its own store default in --help', async () => {
    const result = await flywheel(['demo', '--help']);

    expect(result.code).toBe(0);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain('(default .flywheel/demo.sqlite');
  });
});

describe('output paths are checked before any work', () => {
  it('names the flag of a report under an existing file, and of such a store', async () => {
    const down = await config('nothing.yaml', {
      services: [{ name: 'gone', healthUrl: 'http://127.0.0.1:9/healthz' }],
    });
    const report = await flywheel([
      'run',
      '--config',
      down,
      '--store',
      path('ok.sqlite'),
      '--report-json',
      path('sim.yaml/r.json'),
      '--report-md',
      path('out/r.md'),
    ]);
    const store = await flywheel(['run', '--config', down, '--store', path('sim.yaml/s.sqlite')]);

    expect(report.code).toBe(2);
    expect(report.stderr).toContain(
      `--report-json: cannot write ${path('sim.yaml/r.json')}: ${path('sim.yaml')} is a file, not a folder`,
    );
    expect(existsSync(path('ok.sqlite'))).toBe(false);
    expect(store.code).toBe(2);
    expect(store.stderr).toContain(`--store: cannot write ${path('sim.yaml/s.sqlite')}`);
    expect(store.stderr).not.toContain('EEXIST');
  });
});

describe('replay input errors exit 2', () => {
  it.each([
    ['a missing folder', 'missing', 'cannot be read: no such file or folder'],
    ['an empty folder', 'empty', 'holds no *.json, *.yaml or *.yml cassette'],
    ['a broken JSON cassette', 'json', 'is not valid JSON'],
    ['a broken YAML cassette', 'yaml', 'is not valid YAML'],
  ])('%s', async (_name, folder, message) => {
    await mkdir(path('replay/empty'), { recursive: true });
    await mkdir(path('replay/json'), { recursive: true });
    await mkdir(path('replay/yaml'), { recursive: true });
    await writeFile(path('replay/json/a.json'), '{"interactions": [');
    await writeFile(path('replay/yaml/a.yaml'), 'interactions:\n  - request: [\n');
    const file = await config('replay.yaml', { accounts: [{ platform: 'hackernews', id: 'pg' }] });
    const result = await flywheel([
      'run',
      '--config',
      file,
      '--store',
      ':memory:',
      '--replay',
      path(`replay/${folder}`),
    ]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

describe('logs and notes', () => {
  it('leaves out warnings the report lists, and logs JSON when stderr is not a terminal', async () => {
    const file = await config('down.yaml', {
      http: { maxAttempts: 1 },
      services: [{ name: 'gone', healthUrl: 'http://127.0.0.1:9/healthz' }],
    });
    const base = ['run', '--config', file, '--store', ':memory:', '-q'];
    const quiet = await flywheel(base);
    const detailed = await flywheel([...base, '--log-level', 'info']);
    const pretty = await flywheel([...base, '--log-level', 'info', '--log-format', 'pretty']);

    expect(quiet.stdout).toContain('service gone down: GET http://127.0.0.1:9/healthz failed');
    expect(quiet.stderr).toBe('');
    const events = detailed.stderr
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(events).toContain('target down');
    expect(pretty.stderr).toMatch(/WARN: health: target down {2}target=service:gone/);
    expect(pretty.stderr).not.toContain('{"level"');
  });

  it('tells what to run first when a task finds an empty store', async () => {
    const result = await flywheel(['task', 'engine', '--store', path('empty.sqlite'), '-q']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/SUCCEEDED/);
    expect(result.stdout).toContain('note: nothing stored yet: run `flywheel task scrape` first');
  });
});

describe('Ctrl-C', () => {
  it('cancels the run, writes the partial report and exits 130 with one line', async () => {
    const reportFile = path('interrupted.json');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        CLI,
        'demo',
        '--latency',
        '400',
        '--accounts',
        '6',
        '--store',
        path('interrupted.sqlite'),
        '--report-json',
        reportFile,
        '--log-format',
        'json',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const killer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    // Interrupt once the scrape is under way: its first account has finished.
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/ {2}scrape \S+ (ok|partial)/.test(stderr)) resolve();
      });
    });
    child.kill('SIGINT');
    const code = await exited;
    clearTimeout(killer);

    expect(code).toBe(130);
    expect(stderr.trim().split('\n').at(-1)).toBe(
      'flywheel: interrupted (SIGINT): the report above is partial; the pages stored so far are kept',
    );
    expect(stdout).toMatch(/Flywheel run \S+ {2}PARTIAL/);
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as {
      status: string;
      posts: { total: number };
      tasks: { name: string; status: string; error: string | null }[];
    };
    expect(report.status).toBe('partial');
    expect(report.posts.total).toBeGreaterThan(0);
    expect(report.tasks.find((task) => task.name === 'metrics')).toMatchObject({
      status: 'skipped',
      error: 'skipped: the run was interrupted (Ctrl-C)',
    });
  }, 60_000);
});
