/**
 * `npm run bench:metrics`: the two measured claims of the metrics collector, side by side in one
 * process, as ratios (absolute times depend on the machine and its load).
 *
 * 1. Parsing: our Prometheus/OpenMetrics parser against parse-prometheus-text-format, time per
 *    MB on the same text. Requirement: at most 0.25x.
 * 2. Quantiles: p50/p90/p95/p99 of 10 million values by selection against sorting a copy with
 *    `Float64Array.prototype.sort`. Requirement: at most 0.2x.
 *
 * Each comparison warms both sides up, then runs in alternating rounds (A then B, again and
 * again) and reports the median of the per-round ratios, so a burst of load from another process
 * lands on both sides. Times are CPU time of this process (user + system, all its threads, GC
 * included), which other processes on a shared machine disturb far less than wall time.
 * Flags: `--quick` runs fewer rounds and 1 million values (a smoke run, not a measurement).
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { Bench } from 'tinybench';
import { parsePrometheusText } from '../src/operators/metrics/index.ts';
import { renderTable, type Cell } from '../src/observe/table.ts';
import { quantiles, summarize } from '../src/stats/index.ts';
import { latencyValues, parserInputs, type ParserInput } from './metrics-inputs.ts';

const isQuick = process.argv.includes('--quick');
const PARSER_ROUNDS = isQuick ? 3 : 11;
const QUANTILE_ROUNDS = isQuick ? 2 : 5;
const VALUES = isQuick ? 1_000_000 : 10_000_000;
const PARSER_LIMIT = 0.25;
const QUANTILE_LIMIT = 0.2;

/**
 * A full collection between tasks, so that neither side pays for the garbage the other left
 * (parse-prometheus-text-format allocates about 6x more than ours; without this, a major GC of
 * its garbage can land in our timing). Reached without a command-line flag: V8's own option,
 * then the global it defines.
 */
v8.setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** CPU time of this process, milliseconds. */
function cpuNow(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Mean CPU time of each task, milliseconds, for one round of tinybench. */
async function round(
  tasks: Record<string, () => unknown>,
  options: ConstructorParameters<typeof Bench>[0],
): Promise<Record<string, number>> {
  const bench = new Bench({ ...options, now: cpuNow, setup: collectGarbage });
  for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
  await bench.run();

  const means: Record<string, number> = {};
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`bench task ${task.name} ${result.state}`);
    means[task.name] = result.latency.mean;
  }
  return means;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function verdict(ratio: number, limit: number): Cell {
  return ratio <= limit ? { text: 'yes', tone: 'good' } : { text: 'NO', tone: 'bad' };
}

async function benchParser(input: ParserInput): Promise<Cell[]> {
  const megabytes = Buffer.byteLength(input.text) / 1e6;
  const check = parsePrometheusText(input.text);
  if (check.errors.length > 0) throw new Error(`${input.name}: ${check.errors[0]?.message ?? ''}`);

  const tasks = {
    ours: () => parsePrometheusText(input.text),
    'parse-prometheus-text-format': () => parsePrometheusTextFormat(input.text),
  };
  // Both parsers reach their optimised code before anything is counted.
  await round(tasks, { time: 400, warmupTime: 200 });

  const ours: number[] = [];
  const theirs: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < PARSER_ROUNDS; i += 1) {
    const means = await round(tasks, { time: 150, warmup: false });
    const a = (means.ours as number) / megabytes;
    const b = (means['parse-prometheus-text-format'] as number) / megabytes;
    ours.push(a);
    theirs.push(b);
    ratios.push(a / b);
  }

  const ratio = median(ratios);
  const samples = check.families.reduce((sum, family) => sum + family.samples.length, 0);
  return [
    input.name,
    `${(megabytes * 1000).toFixed(0)} KB`,
    `${check.families.length} / ${samples}`,
    median(ours).toFixed(2),
    median(theirs).toFixed(2),
    ratio.toFixed(3),
    PARSER_LIMIT,
    verdict(ratio, PARSER_LIMIT),
  ];
}

async function benchQuantiles(): Promise<Cell[][]> {
  const values = latencyValues(VALUES);
  const ps = [0.5, 0.9, 0.95, 0.99];
  const bySort = Float64Array.from(values).sort();
  const picked = quantiles(values, ps);
  // Same answers or the timing means nothing: compare with type 7 on the sorted copy.
  ps.forEach((p, k) => {
    const h = (bySort.length - 1) * p;
    const lo = Math.floor(h);
    const expected =
      (bySort[lo] as number) + (h - lo) * ((bySort[lo + 1] as number) - (bySort[lo] as number));
    if (Math.abs((picked[k] as number) - expected) > 1e-9 * Math.abs(expected)) {
      throw new Error(`p${p * 100}: selection gave ${picked[k]}, the sort ${expected}`);
    }
  });

  const rows: Record<string, number[]> = { sort: [], quantiles: [], summarize: [] };
  for (let i = 0; i < QUANTILE_ROUNDS; i += 1) {
    const means = await round(
      {
        sort: () => Float64Array.from(values).sort(),
        quantiles: () => quantiles(values, ps),
        summarize: () => summarize(values),
      },
      { time: 0, iterations: 2, warmup: false },
    );
    for (const name of Object.keys(rows)) rows[name]?.push(means[name] as number);
  }

  const sortMs = median(rows.sort as number[]);
  const line = (name: string, what: string, limit: number | null): Cell[] => {
    const ms = median(rows[name] as number[]);
    return [
      what,
      ms.toFixed(1),
      (ms / sortMs).toFixed(3),
      limit,
      limit === null ? null : verdict(ms / sortMs, limit),
    ];
  };
  return [
    line('sort', 'copy + Float64Array sort (baseline)', null),
    line('quantiles', 'quantiles(values, [.5, .9, .95, .99])', QUANTILE_LIMIT),
    line('summarize', 'summarize(values) (+ count, mean, std, min, max)', null),
  ];
}

async function main(): Promise<void> {
  console.log(`bench:metrics${isQuick ? ' --quick' : ''} on Node ${process.version}\n`);

  const parserRows: Cell[][] = [];
  for (const input of parserInputs()) parserRows.push(await benchParser(input));
  console.log(`Parser: CPU ms per MB, median of ${PARSER_ROUNDS} alternating rounds`);
  console.log(
    renderTable(
      [
        { header: 'input' },
        { header: 'size', align: 'right' },
        { header: 'families / samples', align: 'right' },
        { header: 'ours ms/MB', align: 'right' },
        { header: 'ppt ms/MB', align: 'right' },
        { header: 'ratio', align: 'right' },
        { header: 'limit', align: 'right' },
        { header: 'met' },
      ],
      parserRows,
    ),
  );

  console.log(
    `\nQuantiles of ${VALUES.toLocaleString('en')} values: median of ${QUANTILE_ROUNDS} rounds`,
  );
  console.log(
    renderTable(
      [
        { header: 'method' },
        { header: 'ms', align: 'right' },
        { header: 'x sort', align: 'right' },
        { header: 'limit', align: 'right' },
        { header: 'met' },
      ],
      await benchQuantiles(),
    ),
  );
  console.log('\nppt = parse-prometheus-text-format 1.1.1; ratio = ours / ppt, time per MB.');
}

await main();
