/**
 * `npm run bench:bandit`: Beta draws per second of Flywheel's sampler against
 * @stdlib/random-base-beta and jStat, side by side in one run, and whether Flywheel's time per
 * draw is at most 0.55x @stdlib's.
 *
 * Each row is one workload: a fixed shape (@stdlib gets its fastest form, a generator made once
 * for that shape by `factory(a, b)`), or a Thompson round over 34 arms with different posteriors
 * (every library called once per arm, as a bandit does). Rounds alternate the variants and the
 * ratio is taken from medians, so a machine shared with other work skews all variants alike.
 *
 * Flags: --rounds N (default 7), --time MS per variant and round (default 150).
 */
import { parseArgs } from 'node:util';
import betaStdlib from '@stdlib/random-base-beta';
import jStat from 'jstat';
import { Bench } from 'tinybench';
import { renderTable } from '../src/observe/table.ts';
import { BetaVector, createRng, fillBeta } from '../src/stats/index.ts';

const TARGET = 0.55;
const CHUNK = 4_096;

interface Workload {
  name: string;
  /** Draws made by one call of each variant. */
  draws: number;
  flywheel: () => void;
  stdlib: () => void;
  jstat: () => void;
}

let sink = 0;

function fixedShape(a: number, b: number): Workload {
  const rng = createRng(1);
  const out = new Float64Array(CHUNK);
  const stdlib = betaStdlib.factory(a, b, { seed: 1 });

  return {
    name: `Beta(${a}, ${b})`,
    draws: CHUNK,
    flywheel: () => {
      fillBeta(rng, a, b, out);
      sink += out[CHUNK - 1] as number;
    },
    stdlib: () => {
      for (let i = 0; i < CHUNK; i++) sink += stdlib();
    },
    jstat: () => {
      for (let i = 0; i < CHUNK; i++) sink += jStat.beta.sample(a, b);
    },
  };
}

/** 34 arms (the Open Bandit Dataset's men campaign) with click-rate posteriors after ~300 views. */
function thompsonRound(): Workload {
  const seedRng = createRng(2);
  const alphas = Float64Array.from({ length: 34 }, () => 1 + Math.floor(seedRng() * 6));
  const betas = Float64Array.from({ length: 34 }, () => 250 + Math.floor(seedRng() * 100));
  const vector = BetaVector.from(alphas, betas);
  const rng = createRng(1);
  const out = new Float64Array(34);
  const stdlib = betaStdlib.factory({ seed: 1 });
  const rounds = Math.floor(CHUNK / 34);

  return {
    name: 'Thompson round, 34 arms',
    draws: rounds * 34,
    flywheel: () => {
      for (let r = 0; r < rounds; r++) sink += vector.drawAll(rng, out)[0] as number;
    },
    stdlib: () => {
      for (let r = 0; r < rounds; r++)
        for (let i = 0; i < 34; i++) sink += stdlib(alphas[i] as number, betas[i] as number);
    },
    jstat: () => {
      for (let r = 0; r < rounds; r++)
        for (let i = 0; i < 34; i++)
          sink += jStat.beta.sample(alphas[i] as number, betas[i] as number);
    },
  };
}

const WORKLOADS: Workload[] = [
  fixedShape(1, 1),
  fixedShape(2, 5),
  fixedShape(4, 300),
  fixedShape(60, 4_000),
  fixedShape(20_000, 1_000_000),
  fixedShape(0.5, 0.5),
  fixedShape(0.5, 20),
  thompsonRound(),
];

const VARIANTS = ['flywheel', 'stdlib', 'jstat'] as const;
type Variant = (typeof VARIANTS)[number];

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;

  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Nanoseconds per draw of each variant of each workload, median over rounds. */
async function measure(
  rounds: number,
  timeMs: number,
): Promise<Map<string, Record<Variant, number>>> {
  const samples = new Map<string, Record<Variant, number[]>>(
    WORKLOADS.map((w) => [w.name, { flywheel: [], stdlib: [], jstat: [] }]),
  );
  for (let round = 0; round < rounds; round++) {
    // Alternate which variant goes first, so none always runs on a cold or hot machine.
    const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
    for (const workload of WORKLOADS) {
      const bench = new Bench({ time: timeMs, warmupTime: 20 });
      for (const variant of order) bench.add(variant, workload[variant]);
      await bench.run();
      for (const task of bench.tasks) {
        const result = task.result;
        if (result.state !== 'completed')
          throw new Error(`${workload.name} ${task.name}: ${result.state}`);
        const nsPerDraw = (result.latency.mean * 1e6) / workload.draws;
        samples.get(workload.name)![task.name as Variant].push(nsPerDraw);
      }
    }
    process.stderr.write(`  round ${round + 1}/${rounds}\n`);
  }

  return new Map(
    [...samples].map(([name, s]) => [
      name,
      { flywheel: median(s.flywheel), stdlib: median(s.stdlib), jstat: median(s.jstat) },
    ]),
  );
}

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '7' }, time: { type: 'string', default: '150' } },
});
const rounds = Number(values.rounds);
const timeMs = Number(values.time);
if (!(rounds >= 1 && timeMs > 0)) throw new Error('--rounds must be >= 1 and --time > 0 (ms)');

console.log(
  `Beta draws: Flywheel vs @stdlib/random-base-beta vs jStat (${rounds} rounds of ${timeMs} ms per variant, median)`,
);
const results = await measure(rounds, timeMs);
const fmt = (ns: number): string => `${(1e3 / ns).toFixed(1)}M/s`;
let failures = 0;
const rows = WORKLOADS.map((w) => {
  const r = results.get(w.name)!;
  const ratio = r.flywheel / r.stdlib;
  const isPass = ratio <= TARGET;
  if (!isPass) failures++;
  return [
    w.name,
    `${r.flywheel.toFixed(1)} ns`,
    `${r.stdlib.toFixed(1)} ns`,
    `${r.jstat.toFixed(1)} ns`,
    fmt(r.flywheel),
    fmt(r.stdlib),
    fmt(r.jstat),
    `${ratio.toFixed(2)}x`,
    `${(r.flywheel / r.jstat).toFixed(2)}x`,
    isPass ? 'pass' : 'FAIL',
  ];
});
console.log(
  renderTable(
    [
      { header: 'workload' },
      { header: 'flywheel/draw', align: 'right' },
      { header: 'stdlib/draw', align: 'right' },
      { header: 'jstat/draw', align: 'right' },
      { header: 'flywheel', align: 'right' },
      { header: 'stdlib', align: 'right' },
      { header: 'jstat', align: 'right' },
      { header: 'vs stdlib', align: 'right' },
      { header: 'vs jstat', align: 'right' },
      { header: `<= ${TARGET}x`, align: 'left' },
    ],
    rows,
  ),
);
console.log(
  failures === 0
    ? `pass: every workload at most ${TARGET}x the time of @stdlib per draw`
    : `FAIL: ${failures} of ${WORKLOADS.length} workloads above ${TARGET}x the time of @stdlib per draw`,
);
if (sink === 42) console.log('');
process.exitCode = failures === 0 ? 0 : 1;
