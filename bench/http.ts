/**
 * `npm run bench:http [-- --json FILE] [-- --quick]`: the HTTP layer against its baselines.
 *
 * 1. Throughput: Flywheel's client, bare `undici.request` and Node's fetch, each fetching a
 *    2 KB JSON body with 50 requests in flight. Each round runs them in turns as A B C C B A (the
 *    first variant rotating), for at least 5 rounds; the table gives each one's median and the
 *    median of the per-round ratios (a ratio within one round cancels most of the noise of a
 *    shared machine).
 * 2. Paginated scrape: A accounts x P pages, each page answering after L ms, at concurrency C,
 *    through `mapBounded` and the client, against its floor ceil(A / C) x P x L; the server
 *    counts the connections, which should be min(A, C).
 *
 * 2b. Where the CPU goes: undici's `request()` against the dispatch handler the client uses, and
 *    the price of two cockatiel TimeoutPolicies around a request, which the client left out.
 * 3. Batch runner: `mapBounded` (a worker pool) against the same contract built on cockatiel's
 *    `bulkhead(20, Infinity)`, over N trivial async items; the reason the worker pool stays.
 *
 * The figures are indicative: they depend on the machine and on what else runs on it.
 */
import { writeFile } from 'node:fs/promises';

import { TimeoutStrategy, bulkhead, timeout } from 'cockatiel';
import { Pool, request as undiciRequest } from 'undici';

import { createHttpClient, emptyOriginStats, mapBounded } from '../src/http/index.ts';
import { startExchange } from '../src/http/dispatch.ts';
import type { HttpClient, OriginStats, Settled } from '../src/http/index.ts';
import { startBenchServers, type BenchServers } from './http-servers.ts';

const args = process.argv.slice(2);
const isQuick = args.includes('--quick');
const jsonIndex = args.indexOf('--json');
const jsonFile = jsonIndex >= 0 ? args[jsonIndex + 1] : undefined;

const IN_FLIGHT = 50;
const ROUNDS = isQuick ? 5 : 7;
const REQUESTS_PER_ROUND = isQuick ? 1_500 : 3_000;
const LATENCY_MS = 20;
const SCRAPES: Array<{ accounts: number; pages: number; concurrency: number }> = [
  { accounts: 100, pages: 5, concurrency: 20 },
  { accounts: 100, pages: 5, concurrency: 10 },
  { accounts: 12, pages: 5, concurrency: 20 },
  { accounts: 40, pages: 3, concurrency: 5 },
];
const SCRAPE_RUNS = 5;
const skipScrape = args.includes('--throughput-only');

type Variant = 'flywheel' | 'undici' | 'fetch';

interface ThroughputFigures {
  inFlight: number;
  bodyBytes: number;
  requestsPerRound: number;
  rounds: Array<Record<Variant, Rate>>;
  medianRps: Record<Variant, number>;
  medianCpuUs: Record<Variant, number>;
  ratioToUndici: number;
  ratioToFetch: number;
}

interface ScrapeFigures {
  accounts: number;
  pages: number;
  concurrency: number;
  latencyMs: number;
  floorMs: number;
  medianMs: number;
  ratioToFloor: number;
  connections: number;
  expectedConnections: number;
  requests: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

interface Rate {
  rps: number;
  /** Client CPU time (user + system) per request, microseconds; the servers run elsewhere. */
  cpuUs: number;
}

/** Requests per second of `one` with `IN_FLIGHT` callers until `total` requests are done. */
async function rate(one: () => Promise<unknown>, total: number): Promise<Rate> {
  let started = 0;
  const cpu = process.cpuUsage();
  const begin = performance.now();
  const caller = async (): Promise<void> => {
    while (started < total) {
      started += 1;
      await one();
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, caller));
  const elapsed = performance.now() - begin;
  const used = process.cpuUsage(cpu);

  return { rps: (total / elapsed) * 1000, cpuUs: (used.user + used.system) / total };
}

/**
 * Runs every variant `ROUNDS` times in turns, each round as A B C ... C B A with the first
 * variant rotating, so a load that drifts during a round weighs on every variant alike.
 */
async function inTurns<K extends string>(
  variants: Record<K, () => Promise<unknown>>,
  perRound: number,
): Promise<Array<Record<K, Rate>>> {
  const order = Object.keys(variants) as K[];
  // One warm-up run each: JIT, connection set-up and lazy module loading stay out of the figures.
  for (const variant of order) await rate(variants[variant], 500);

  const rounds: Array<Record<K, Rate>> = [];
  for (let round = 0; round < ROUNDS; round++) {
    const shift = round % order.length;
    const rotated = [...order.slice(shift), ...order.slice(0, shift)];
    const halves = new Map<K, Rate[]>();
    for (const variant of [...rotated, ...[...rotated].reverse()]) {
      const figures = await rate(variants[variant], perRound / 2);
      halves.set(variant, [...(halves.get(variant) ?? []), figures]);
    }
    const combined = {} as Record<K, Rate>;
    for (const variant of order) {
      const [first, second] = halves.get(variant)!;
      // Equal request counts: the harmonic mean of the rates is total requests over total time.
      combined[variant] = {
        rps: 2 / (1 / first!.rps + 1 / second!.rps),
        cpuUs: (first!.cpuUs + second!.cpuUs) / 2,
      };
    }
    rounds.push(combined);
    process.stdout.write('.');
  }

  return rounds;
}

async function throughput(servers: BenchServers): Promise<ThroughputFigures> {
  const url = `${servers.jsonOrigin}/item`;
  const client = createHttpClient({ connections: IN_FLIGHT });
  const rounds = await inTurns<Variant>(
    {
      flywheel: async () => (await client.request(url)).json(),
      undici: async () => (await undiciRequest(url)).body.json(),
      fetch: async () => (await fetch(url)).json(),
    },
    REQUESTS_PER_ROUND,
  );
  await client.close();

  const medianOf = (variant: Variant, key: keyof Rate): number =>
    median(rounds.map((round) => round[variant][key]));
  const ratio = (other: Variant): number =>
    median(rounds.map((round) => round.flywheel.rps / round[other].rps));
  return {
    inFlight: IN_FLIGHT,
    bodyBytes: servers.jsonBytes,
    requestsPerRound: REQUESTS_PER_ROUND,
    rounds,
    medianRps: {
      flywheel: medianOf('flywheel', 'rps'),
      undici: medianOf('undici', 'rps'),
      fetch: medianOf('fetch', 'rps'),
    },
    medianCpuUs: {
      flywheel: medianOf('flywheel', 'cpuUs'),
      undici: medianOf('undici', 'cpuUs'),
      fetch: medianOf('fetch', 'cpuUs'),
    },
    ratioToUndici: ratio('undici'),
    ratioToFetch: ratio('fetch'),
  };
}

type Piece = 'poolRequest' | 'poolRequestCockatielTimeouts' | 'dispatchHandler' | 'flywheel';

/**
 * The design choices of the client, measured: undici's `request()` against the dispatch handler
 * the client uses, and the price of two cockatiel TimeoutPolicies (deadline and attempt) with
 * their signal handed to undici, which the client replaced by plain timers.
 */
async function pieces(servers: BenchServers): Promise<Record<Piece, number>> {
  const pool = new Pool(servers.jsonOrigin, { connections: IN_FLIGHT });
  const handlerPool = new Pool(servers.jsonOrigin, { connections: IN_FLIGHT });
  const client = createHttpClient({ connections: IN_FLIGHT });
  const deadline = timeout(120_000, {
    strategy: TimeoutStrategy.Cooperative,
    abortOnReturn: false,
  });
  const attempt = timeout(15_000, { strategy: TimeoutStrategy.Cooperative, abortOnReturn: false });
  // The handler counts into an origin's stats record; this one is only written to.
  const counts: OriginStats = emptyOriginStats(servers.jsonOrigin);
  const get = { path: '/item', method: 'GET' as const };
  const rounds = await inTurns<Piece>(
    {
      poolRequest: async () => (await pool.request(get)).body.json(),
      poolRequestCockatielTimeouts: () =>
        deadline.execute(({ signal }) =>
          attempt.execute(
            async ({ signal: inner }) =>
              (await pool.request({ ...get, signal: inner })).body.json(),
            signal,
          ),
        ),
      dispatchHandler: async () => {
        const exchange = startExchange(
          handlerPool,
          { ...get, origin: servers.jsonOrigin },
          {
            maxBytes: Number.MAX_SAFE_INTEGER,
            tooLarge: () => new Error('too large'),
            stats: counts,
            bytesOut: 0,
          },
        );
        return JSON.parse((await exchange.response).body.toString('utf8')) as unknown;
      },
      flywheel: async () => (await client.request(`${servers.jsonOrigin}/item`)).json(),
    },
    REQUESTS_PER_ROUND,
  );
  await Promise.all([pool.close(), handlerPool.close(), client.close()]);

  const cpu = (piece: Piece): number => median(rounds.map((round) => round[piece].cpuUs));
  return {
    poolRequest: cpu('poolRequest'),
    poolRequestCockatielTimeouts: cpu('poolRequestCockatielTimeouts'),
    dispatchHandler: cpu('dispatchHandler'),
    flywheel: cpu('flywheel'),
  };
}

/** Walks every account's pages at `concurrency` accounts at once; returns the wall time. */
async function scrapeOnce(
  client: HttpClient,
  origin: string,
  setup: { accounts: number; pages: number; concurrency: number },
): Promise<number> {
  const accounts = Array.from({ length: setup.accounts }, (_, index) => `account${index}`);
  const begin = performance.now();
  const results = await mapBounded(accounts, setup.concurrency, async (account) => {
    let page: number | null = 1;
    let items = 0;
    while (page !== null) {
      const response = await client.request(`${origin}/list`, {
        query: { account, page, pages: setup.pages },
      });
      const body = response.json<{ items: unknown[]; next: number | null }>();
      items += body.items.length;
      page = body.next;
    }
    return items;
  });
  const elapsed = performance.now() - begin;
  const failed = results.filter((result) => !result.ok).length;
  if (failed > 0) throw new Error(`${failed} accounts failed during the scrape benchmark`);

  return elapsed;
}

async function scrapes(servers: BenchServers): Promise<ScrapeFigures[]> {
  const figures: ScrapeFigures[] = [];
  for (const setup of SCRAPES) {
    const times: number[] = [];
    let connections = 0;
    let requests = 0;
    for (let run = 0; run < SCRAPE_RUNS; run++) {
      await servers.reset();
      const client = createHttpClient({ connections: setup.concurrency });
      times.push(await scrapeOnce(client, servers.pagesOrigin, setup));
      requests = client.stats().requests;
      await client.close();
      connections = Math.max(connections, (await servers.counts()).pages);
      process.stdout.write('.');
    }
    const floorMs = Math.ceil(setup.accounts / setup.concurrency) * setup.pages * LATENCY_MS;
    const medianMs = median(times);
    figures.push({
      ...setup,
      latencyMs: LATENCY_MS,
      floorMs,
      medianMs,
      ratioToFloor: medianMs / floorMs,
      connections,
      expectedConnections: Math.min(setup.accounts, setup.concurrency),
      requests,
    });
  }

  return figures;
}

interface BatchFigures {
  items: number;
  concurrency: number;
  workerPoolMs: number;
  bulkheadMs: number;
  workerPoolHeapMb: number;
  bulkheadHeapMb: number;
}

const BATCH_SIZES = isQuick ? [1_000, 10_000] : [1_000, 10_000, 50_000];

/** `mapBounded`'s contract (ordered results, errors kept) on cockatiel's bulkhead. */
async function mapWithBulkhead<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<Array<Settled<R>>> {
  const gate = bulkhead(concurrency, Number.POSITIVE_INFINITY);
  return Promise.all(
    items.map((item) =>
      gate
        .execute(() => fn(item))
        .then(
          (value): Settled<R> => ({ ok: true, value }),
          (error: unknown): Settled<R> => ({ ok: false, error }),
        ),
    ),
  );
}

/** Wall time and heap growth (sampled every 5 ms) of one run. */
async function measured(run: () => Promise<unknown>): Promise<{ ms: number; heapMb: number }> {
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 5);
  const begin = performance.now();
  await run();
  const ms = performance.now() - begin;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().heapUsed);

  return { ms, heapMb: (peak - before) / 1e6 };
}

async function batches(): Promise<BatchFigures[]> {
  const work = async (item: number): Promise<number> => {
    await Promise.resolve();
    return item * 2;
  };
  const figures: BatchFigures[] = [];
  for (const size of BATCH_SIZES) {
    const items = Array.from({ length: size }, (_, index) => index);
    const pool: Array<{ ms: number; heapMb: number }> = [];
    const gate: Array<{ ms: number; heapMb: number }> = [];
    for (let run = 0; run < 3; run++) {
      pool.push(await measured(() => mapBounded(items, 20, work)));
      gate.push(await measured(() => mapWithBulkhead(items, 20, work)));
      process.stdout.write('.');
    }
    figures.push({
      items: size,
      concurrency: 20,
      workerPoolMs: median(pool.map((run) => run.ms)),
      bulkheadMs: median(gate.map((run) => run.ms)),
      workerPoolHeapMb: median(pool.map((run) => run.heapMb)),
      bulkheadHeapMb: median(gate.map((run) => run.heapMb)),
    });
  }

  return figures;
}

function printBatches(figures: BatchFigures[]): void {
  console.log('\nBatch runner: N trivial async items at concurrency 20, median of 3 runs');
  console.log(
    table(
      [
        'N',
        'mapBounded',
        'cockatiel bulkhead',
        'bulkhead / mapBounded',
        'heap growth (pool / bulkhead)',
      ],
      figures.map((row) => [
        row.items.toLocaleString('en-US'),
        `${row.workerPoolMs.toFixed(1)} ms`,
        `${row.bulkheadMs.toFixed(1)} ms`,
        `${(row.bulkheadMs / row.workerPoolMs).toFixed(1)}x`,
        `${row.workerPoolHeapMb.toFixed(1)} MB / ${row.bulkheadHeapMb.toFixed(1)} MB`,
      ]),
    ),
  );
}

function printPieces(figures: Record<Piece, number>): void {
  const rows: Array<[string, Piece]> = [
    ['undici Pool#request, body read', 'poolRequest'],
    ['  + two cockatiel TimeoutPolicies (signal to undici)', 'poolRequestCockatielTimeouts'],
    ['undici Pool#dispatch, collecting handler', 'dispatchHandler'],
    ['flywheel client (all of it)', 'flywheel'],
  ];
  console.log(
    '\nWhere the CPU goes: client CPU per request, same setup as the throughput table (median)',
  );
  console.log(
    table(
      ['path', 'CPU us/req', 'vs Pool#request'],
      rows.map(([label, piece]) => [
        label,
        figures[piece].toFixed(1),
        `${(figures[piece] / figures.poolRequest).toFixed(2)}x`,
      ]),
    ),
  );
}

function verdict(isMet: boolean): string {
  return isMet ? 'pass' : 'FAIL';
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join('  ')
      .trimEnd();

  return [
    line(headers),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...rows.map(line),
  ].join('\n');
}

function printThroughput(figures: ThroughputFigures): void {
  const rps = (value: number): string => Math.round(value).toLocaleString('en-US');
  const cpu = (value: number): string => value.toFixed(1);
  console.log(
    `\nThroughput: ${figures.bodyBytes} B JSON, ${figures.inFlight} in flight, ${figures.requestsPerRound} requests x ${figures.rounds.length} rounds (median)`,
  );
  console.log(
    table(
      ['client', 'req/s', 'CPU us/req', 'flywheel / it', 'target', 'result'],
      [
        [
          'flywheel (createHttpClient)',
          rps(figures.medianRps.flywheel),
          cpu(figures.medianCpuUs.flywheel),
          '1.00x',
          '',
          '',
        ],
        [
          'undici.request (bare)',
          rps(figures.medianRps.undici),
          cpu(figures.medianCpuUs.undici),
          `${figures.ratioToUndici.toFixed(2)}x`,
          '>= 0.90x',
          verdict(figures.ratioToUndici >= 0.9),
        ],
        [
          'fetch (Node built-in)',
          rps(figures.medianRps.fetch),
          cpu(figures.medianCpuUs.fetch),
          `${figures.ratioToFetch.toFixed(2)}x`,
          '>= 2.50x',
          verdict(figures.ratioToFetch >= 2.5),
        ],
      ],
    ),
  );
}

function printScrapes(figures: ScrapeFigures[]): void {
  console.log(
    `\nPaginated scrape: A accounts x P pages at ${LATENCY_MS} ms a page, concurrency C, median of ${SCRAPE_RUNS} runs`,
  );
  console.log(
    table(
      ['A x P @ C', 'floor', 'wall', 'wall / floor', '<= 1.2x', 'conns', 'min(A,C)', 'result'],
      figures.map((row) => [
        `${row.accounts} x ${row.pages} @ ${row.concurrency}`,
        `${row.floorMs} ms`,
        `${Math.round(row.medianMs)} ms`,
        `${row.ratioToFloor.toFixed(2)}x`,
        verdict(row.ratioToFloor <= 1.2),
        String(row.connections),
        String(row.expectedConnections),
        verdict(row.connections === row.expectedConnections),
      ]),
    ),
  );
}

async function main(): Promise<void> {
  const servers = await startBenchServers(LATENCY_MS);
  try {
    process.stdout.write(`bench:http on Node ${process.version} `);
    const speed = await throughput(servers);
    const cost = await pieces(servers);
    const pages = skipScrape ? [] : await scrapes(servers);
    const batch = skipScrape ? [] : await batches();
    process.stdout.write('\n');
    printThroughput(speed);
    printPieces(cost);
    printScrapes(pages);
    if (batch.length > 0) printBatches(batch);
    if (jsonFile !== undefined) {
      await writeFile(
        jsonFile,
        `${JSON.stringify({ node: process.version, throughput: speed, cpuByPath: cost, scrapes: pages, batches: batch }, null, 2)}\n`,
      );
      console.log(`\nfigures written to ${jsonFile}`);
    }
  } finally {
    await servers.stop();
  }
}

await main();
