/**
 * The bench result for people: the table the original optimisation report promised (one row per
 * operator: before, after, improvement, memory, reuse, requests), the details, the limits, the
 * requirements and targets with pass or fail, the baseline and the scaling series. The same
 * sections render as terminal text or Markdown.
 */
import { renderTable, type Cell, type Column } from '../observe/table.ts';
import type { Check } from './checks.ts';
import type { BenchResult } from './result.ts';
import type { ScaleRow } from './scale.ts';
import { accountTotal, pageSize, type Scenario } from './scenario.ts';
import type { TargetSummary } from './summary.ts';

/** A titled table, or lines of text. */
interface Section {
  title: string;
  lines?: string[];
  columns?: Column[];
  rows?: Cell[][];
}

const MB = 1_000_000;

/** `1,234 ms`, `12.3 ms` below 100 ms. */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return '-';
  return value < 100 ? `${value.toFixed(1)} ms` : `${Math.round(value).toLocaleString('en-US')} ms`;
}

/** `84.2 MB` (10^6 bytes). */
export function formatMb(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

/** `91.7%`, or `-` for null. */
export function formatPercent(value: number | null): string {
  return value === null ? '-' : `${(value * 100).toFixed(1)}%`;
}

function signedMb(bytes: number): string {
  const value = bytes / MB;
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;
}

function improvementCell(target: TargetSummary): string {
  if (target.improvement === null || target.speedup === null) return '-';
  return `${formatPercent(target.improvement)} (${target.speedup.toFixed(2)}x)`;
}

function reuseCell(target: TargetSummary): string {
  const { optimized } = target;
  if (optimized.reuse === null && optimized.warm?.reuse == null) return '-';
  const warm = optimized.warm?.reuse;
  return `${formatPercent(optimized.reuse)} / ${warm === undefined ? '-' : formatPercent(warm)}`;
}

/** The main table: one row per target. */
export function mainRows(targets: readonly TargetSummary[]): Cell[][] {
  return targets.map((target) => [
    target.target,
    formatMs(target.naive.wallMs.median),
    formatMs(target.optimized.wallMs.median),
    improvementCell(target),
    `${formatMb(target.optimized.peakRssBytes.median)} (${signedMb(target.optimized.rssAboveFloorBytes)})`,
    reuseCell(target),
    `${target.naive.requests} -> ${target.optimized.requests} (min ${target.minimumRequests})`,
  ]);
}

const MAIN_COLUMNS: Column[] = [
  { header: 'operator' },
  { header: 'before (naive)', align: 'right' },
  { header: 'after (optimized)', align: 'right' },
  { header: 'improvement', align: 'right' },
  { header: 'memory (above floor)', align: 'right' },
  { header: 'reuse cold / warm', align: 'right' },
  { header: 'requests naive -> opt', align: 'right' },
];

function ratioList(ratios: readonly number[]): string {
  return ratios.map((ratio) => (Number.isFinite(ratio) ? ratio.toFixed(2) : '-')).join(' ');
}

/** Per target: p99s, the ratio of each pair, bytes, cache, connections and the server's count. */
export function detailRows(targets: readonly TargetSummary[]): Cell[][] {
  return targets.map((target) => {
    const { naive, optimized } = target;
    const warm = optimized.warm;
    return [
      target.target,
      formatMs(naive.wallMs.p99),
      formatMs(optimized.wallMs.p99),
      ratioList(target.ratios),
      `${formatMb(naive.peakRssBytes.median)}`,
      `${(naive.bytesIn / 1024).toFixed(1)} / ${(optimized.bytesIn / 1024).toFixed(1)}`,
      `${formatPercent(optimized.cacheHitRatio)} / ${formatPercent(warm?.cacheHitRatio ?? null)}`,
      `${naive.connections} / ${optimized.connections} (${target.expectedConnections.cold})`,
      warm === undefined ? '-' : `${warm.connections} of ${warm.requests} req`,
      `${optimized.server.requests} / ${optimized.server.connections}`,
      `${Math.round(optimized.cpuMs)} / ${Math.round(optimized.server.cpuMs)}`,
    ];
  });
}

const DETAIL_COLUMNS: Column[] = [
  { header: 'operator' },
  { header: 'p99 naive', align: 'right' },
  { header: 'p99 opt', align: 'right' },
  { header: 'B/A by pair' },
  { header: 'naive RSS', align: 'right' },
  { header: 'KiB in naive / opt', align: 'right' },
  { header: 'cache hits cold / warm', align: 'right' },
  { header: 'conns naive / opt (expected)', align: 'right' },
  { header: 'warm conns', align: 'right' },
  { header: 'server req / conns', align: 'right' },
  { header: 'CPU ms opt / sim', align: 'right' },
];

function checkRows(checks: readonly Check[]): Cell[][] {
  return checks.map((check) => [
    check.subject,
    check.name,
    check.actual,
    check.limit,
    { text: check.isPass ? 'pass' : 'FAIL', tone: check.isPass ? 'good' : 'bad' },
  ]);
}

const CHECK_COLUMNS: Column[] = [
  { header: 'subject' },
  { header: 'check' },
  { header: 'actual', align: 'right' },
  { header: 'limit' },
  { header: 'result' },
];

/** One line naming the scenario. */
export function describeScenario(scenario: Scenario): string {
  const accounts = Object.entries(scenario.accounts)
    .filter(([, count]) => count > 0)
    .map(([platform, count]) => `${count} ${platform}`)
    .join(' + ');
  const faults = scenario.faultRate > 0 ? `, ${formatPercent(scenario.faultRate)} faults` : '';

  return (
    `${accounts} accounts (${accountTotal(scenario)}) x ${scenario.posts} posts in ` +
    `${scenario.pages} pages of ${pageSize(scenario)}, ${scenario.latencyMs} ms round trip ` +
    `(+${scenario.connectLatencyMs} ms per new connection)${faults}, ${scenario.services} services, ` +
    `concurrency ${scenario.concurrency}, ${scenario.pairs} pairs, seed ${scenario.seed}`
  );
}

function summaryLine(checks: readonly Check[], label: string): string {
  const failed = checks.filter((check) => !check.isPass).length;
  return failed === 0
    ? `${label}: all ${checks.length} passed`
    : `${label}: ${failed} of ${checks.length} FAILED`;
}

function averageImprovement(targets: readonly TargetSummary[]): string | undefined {
  const network = targets.filter(
    (target) => target.isNetwork && target.target !== 'run' && target.improvement !== null,
  );
  if (network.length === 0) return undefined;
  const mean = network.reduce((sum, target) => sum + (target.improvement ?? 0), 0) / network.length;

  return `average improvement over the operators with the network on their path: ${formatPercent(mean)}`;
}

function scaleSections(result: BenchResult): Section[] {
  const scale = result.scale;
  if (scale === undefined) return [];
  const growth = (row: ScaleRow): string =>
    row.sizeGrowth === null || row.timeGrowth === null
      ? '-'
      : `x${row.sizeGrowth.toFixed(0)} -> x${row.timeGrowth.toFixed(2)}`;

  return [
    {
      title: 'Scaling: the optimised scrape',
      columns: [
        { header: 'accounts', align: 'right' },
        { header: 'wall', align: 'right' },
        { header: 'size -> time', align: 'right' },
        { header: 'floor', align: 'right' },
        { header: 'wall / floor', align: 'right' },
        { header: 'requests (min)', align: 'right' },
        { header: 'conns (expected)', align: 'right' },
        { header: 'peak RSS (above floor)', align: 'right' },
      ],
      rows: scale.scrape.map((row) => [
        row.size.toLocaleString('en-US'),
        formatMs(row.wallMs.median),
        growth(row),
        formatMs(row.floorMs ?? Number.NaN),
        `${(row.floorRatio ?? 0).toFixed(2)}x`,
        `${row.requests} (${row.minimumRequests})`,
        `${row.connections} (${row.expectedConnections})`,
        `${formatMb(row.peakRssBytes.median)} (${signedMb(row.rssAboveFloorBytes)})`,
      ]),
    },
    {
      title: 'Scaling: the streaming import into SQLite',
      lines: [
        `import floor of a child that loads only the store and the generator: ${formatMb(scale.importFloorBytes)}`,
      ],
      columns: [
        { header: 'posts', align: 'right' },
        { header: 'wall', align: 'right' },
        { header: 'size -> time', align: 'right' },
        { header: 'posts/s', align: 'right' },
        { header: 'peak RSS (above floor)', align: 'right' },
        { header: 'largest peak', align: 'right' },
      ],
      rows: scale.import.map((row) => [
        row.size.toLocaleString('en-US'),
        formatMs(row.wallMs.median),
        growth(row),
        Math.round((row.size / row.wallMs.median) * 1000).toLocaleString('en-US'),
        `${formatMb(row.peakRssBytes.median)} (${signedMb(row.rssAboveFloorBytes)})`,
        formatMb(row.peakRssBytes.max),
      ]),
    },
    { title: 'Scaling requirement', columns: CHECK_COLUMNS, rows: checkRows(scale.checks) },
  ];
}

function baselineSection(result: BenchResult): Section[] {
  const baseline = result.baseline;
  if (baseline === undefined) return [];
  const value = (figure: string, number: number): string =>
    figure === 'RSS above floor'
      ? formatMb(number)
      : figure === 'wall median'
        ? formatMs(number)
        : figure === 'time ratio'
          ? number.toFixed(3)
          : String(number);

  return [
    {
      title: `Against the baseline ${baseline.file} (${baseline.createdAt})`,
      lines: [
        `threshold ${formatPercent(baseline.threshold)}; ` +
          (baseline.isSameScenario ? 'same scenario' : 'a DIFFERENT scenario: compare with care') +
          `; ${baseline.regressions === 0 ? 'no regressions' : `${baseline.regressions} REGRESSIONS`}`,
      ],
      columns: [
        { header: 'operator' },
        { header: 'figure' },
        { header: 'before', align: 'right' },
        { header: 'after', align: 'right' },
        { header: 'change', align: 'right' },
        { header: 'result' },
      ],
      rows: baseline.rows.map((row) => [
        row.target,
        row.figure,
        value(row.figure, row.before),
        value(row.figure, row.after),
        row.change === null
          ? '-'
          : `${row.change >= 0 ? '+' : ''}${(row.change * 100).toFixed(1)}%`,
        row.isJudged
          ? {
              text: row.isRegression ? 'REGRESSION' : 'ok',
              tone: row.isRegression ? 'bad' : 'good',
            }
          : { text: 'not judged', tone: 'dim' },
      ]),
    },
  ];
}

function sections(result: BenchResult): Section[] {
  const { machine, scenario, floor } = result;
  const average = averageImprovement(result.targets);
  const floorLine = result.scrapeFloor
    ? [
        `scrape floor: max(critical path ${formatMs(result.scrapeFloor.criticalPathMs)}, throughput ${formatMs(result.scrapeFloor.throughputMs)}) + one handshake ${scenario.connectLatencyMs} ms = ${formatMs(result.scrapeFloor.floorMs)}; ` +
          `the optimised scrape took ${formatMs(result.scrapeFloor.medianMs)}, ${result.scrapeFloor.ratio.toFixed(2)}x the floor`,
      ]
    : [];

  return [
    {
      title: 'Flywheel bench',
      lines: [
        describeScenario(scenario),
        `machine: ${machine.cpus} CPUs, ${machine.cpuModel}, Node ${machine.node}, ${machine.platform}; children ${machine.runtime}`,
        `import floor (a child that only loads the modules): ${formatMb(floor.median)} median of ${floor.samples.length}`,
      ],
    },
    {
      title: "Before and after (medians; memory is the optimised child's peak RSS)",
      lines: average === undefined ? [] : [average],
      columns: MAIN_COLUMNS,
      rows: mainRows(result.targets),
    },
    { title: 'Details', columns: DETAIL_COLUMNS, rows: detailRows(result.targets) },
    {
      title: 'Requirements (a failure exits 1)',
      lines: [summaryLine(result.requirements, 'requirements')],
      columns: CHECK_COLUMNS,
      rows: checkRows(result.requirements),
    },
    {
      title: 'Targets and limits (reported)',
      lines: [...floorLine, summaryLine(result.goals, 'targets')],
      columns: CHECK_COLUMNS,
      rows: checkRows(result.goals),
    },
    ...scaleSections(result),
    ...baselineSection(result),
    ...(result.notes.length > 0 ? [{ title: 'Notes', lines: result.notes }] : []),
  ];
}

/** The result as terminal text. */
export function renderBench(result: BenchResult, options: { color?: boolean } = {}): string {
  return sections(result)
    .map((section) => {
      const parts = [section.title, '='.repeat(section.title.length), ...(section.lines ?? [])];
      if (section.columns && section.rows) {
        if ((section.lines ?? []).length > 0) parts.push('');
        const table = renderTable(section.columns, section.rows, { color: options.color ?? false });
        // The last column is padded like the others; trailing blanks only get in a diff's way.
        parts.push(table.replace(/ +$/gm, ''));
      }
      return parts.join('\n');
    })
    .join('\n\n');
}

function markdownCell(cell: Cell): string {
  const text = cell === null ? '-' : typeof cell === 'object' ? cell.text : String(cell);
  return text.replaceAll('|', '\\|');
}

/** The result as Markdown. */
export function renderBenchMarkdown(result: BenchResult): string {
  const out: string[] = [];
  for (const section of sections(result)) {
    out.push(`## ${section.title}`, '');
    for (const line of section.lines ?? []) out.push(`${line}  `);
    if ((section.lines ?? []).length > 0) out.push('');
    if (section.columns && section.rows) {
      out.push(`| ${section.columns.map((column) => column.header).join(' | ')} |`);
      out.push(
        `| ${section.columns.map((column) => (column.align === 'right' ? '---:' : '---')).join(' | ')} |`,
      );
      for (const row of section.rows) out.push(`| ${row.map(markdownCell).join(' | ')} |`);
      out.push('');
    }
  }

  return `${out.join('\n').trimEnd()}\n`;
}
