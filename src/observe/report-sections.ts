/**
 * The report's sections as data (title, columns, rows), shared by the terminal and Markdown
 * renderings so both always show the same figures.
 * @internal
 */
import { formatBytes, formatCount, formatDuration, formatFixed, formatPercent } from './format.ts';
import type { ReportHistory, RunReport } from './report-types.ts';
import type { Cell, Column, Tone } from './table.ts';

/** @internal One titled table of the report. */
export interface Section {
  title: string;
  columns: Column[];
  rows: Cell[][];
  /** Shown instead of an empty table. */
  empty: string;
  /** Lines shown above the table. */
  notes?: string[];
}

const TOP = 10;

/** @internal The sections in report order. */
export function buildSections(report: RunReport): Section[] {
  // A run of one task (`flywheel task engine`) shows only what that task produced.
  const ran = new Set(report.tasks.map((task) => task.name));
  const when = (task: string, section: () => Section): Section[] =>
    ran.has(task) ? [section()] : [];
  return [
    tasksSection(report),
    ...when('scrape', () => scrapeSection(report)),
    ...when('engine', () => viralSection(report)),
    ...when('thompson', () => armsSection(report)),
    ...when('thompson', () => recommendationsSection(report)),
    ...when('health', () => healthSection(report)),
    ...when('metrics', () => metricsSection(report)),
    ...(report.history === undefined ? [] : [historySection(report.history)]),
    httpSection(report),
    problemsSection(report),
  ];
}

function tasksSection(report: RunReport): Section {
  return {
    title: 'Tasks',
    columns: [
      { header: 'task' },
      { header: 'status' },
      { header: 'attempts', align: 'right' },
      { header: 'duration', align: 'right' },
      { header: 'peak RSS', align: 'right' },
      { header: 'requests', align: 'right' },
      { header: 'conns', align: 'right' },
      { header: 'reuse', align: 'right' },
      { header: 'bytes in', align: 'right' },
      { header: 'error' },
    ],
    rows: report.tasks.map((task) => [
      task.name,
      { text: task.status, tone: taskTone(task.status) },
      task.attempts,
      formatDuration(task.durationMs),
      formatBytes(task.peakRssBytes),
      formatCount(task.requests),
      formatCount(task.connections),
      formatPercent(task.reuseRatio),
      formatBytes(task.bytesIn),
      task.error,
    ]),
    empty: 'no tasks ran',
  };
}

function scrapeSection(report: RunReport): Section {
  const { posts } = report;
  return {
    title: 'Scrape per account',
    notes: [
      `this run: ${formatCount(posts.new)} new and ${formatCount(posts.updated)} updated posts ` +
        `from ${formatCount(posts.pages)} ${posts.pages === 1 ? 'page' : 'pages'}; ` +
        `the store holds ${formatCount(posts.total)} posts`,
    ],
    columns: [
      { header: 'platform' },
      { header: 'account' },
      { header: 'pages', align: 'right' },
      { header: 'posts', align: 'right' },
      { header: 'new', align: 'right' },
      { header: 'status' },
      { header: 'error' },
    ],
    rows: posts.byAccount.map((account) => [
      account.platform,
      account.account,
      formatCount(account.pages),
      formatCount(account.posts),
      formatCount(account.new),
      { text: account.status, tone: taskTone(account.status) },
      account.error ?? null,
    ]),
    empty: 'no accounts scraped',
  };
}

function viralSection(report: RunReport): Section {
  const top = [...report.viral]
    .sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity))
    .slice(0, TOP);
  return {
    title: `Top viral posts (${top.length} of ${report.viral.length})`,
    columns: [
      { header: 'platform' },
      { header: 'account' },
      { header: 'z', align: 'right' },
      { header: 'x median', align: 'right' },
      { header: 'url', isUncut: true },
    ],
    // The reason (in the JSON report) restates z and the ratio; the URL is what a reader needs.
    rows: top.map((post) => [
      post.platform,
      post.account,
      formatFixed(post.score),
      post.ratio === null ? null : `${formatFixed(post.ratio, 1)}x`,
      post.url ?? post.postId,
    ]),
    empty: 'no viral posts this run',
  };
}

function armsSection(report: RunReport): Section {
  const top = [...report.arms]
    .sort((a, b) => (b.probBest ?? -1) - (a.probBest ?? -1) || (b.mean ?? -1) - (a.mean ?? -1))
    .slice(0, TOP);
  return {
    title: `Top arms (${top.length} of ${report.arms.length})`,
    columns: [
      { header: 'arm' },
      { header: 'successes', align: 'right' },
      { header: 'failures', align: 'right' },
      { header: 'mean', align: 'right' },
      { header: 'P(best of its feature)', align: 'right' },
    ],
    rows: top.map((arm) => [
      arm.arm,
      formatCount(arm.successes),
      formatCount(arm.failures),
      formatFixed(arm.mean, 3),
      formatPercent(arm.probBest),
    ]),
    empty: 'no arms yet',
  };
}

function recommendationsSection(report: RunReport): Section {
  return {
    title: 'Recommendations',
    columns: [
      { header: 'slot', align: 'right' },
      { header: 'patterns' },
      { header: 'propensity', align: 'right' },
    ],
    rows: report.recommendations.map((recommendation) => [
      recommendation.slot,
      Object.entries(recommendation.patterns)
        .map(([feature, value]) => `${feature}=${value}`)
        .join(', '),
      formatProbability(recommendation.propensity),
    ]),
    empty: 'no recommendations',
  };
}

function healthSection(report: RunReport): Section {
  return {
    title: 'Health',
    columns: [
      { header: 'name' },
      { header: 'kind' },
      { header: 'state' },
      { header: 'latency', align: 'right' },
      { header: 'error' },
    ],
    rows: report.health.map((check) => [
      check.name,
      check.kind,
      upDown(check.ok),
      formatDuration(check.latencyMs),
      check.error ?? null,
    ]),
    empty: 'no health checks',
  };
}

function metricsSection(report: RunReport): Section {
  return {
    title: 'Metrics',
    columns: [
      { header: 'service' },
      { header: 'state' },
      { header: 'families', align: 'right' },
      { header: 'samples', align: 'right' },
      { header: 'error' },
    ],
    rows: report.metrics.map((service) => [
      service.service,
      upDown(service.ok),
      formatCount(service.families),
      formatCount(service.samples),
      service.error ?? null,
    ]),
    empty: 'no metrics endpoints configured',
  };
}

function historySection(history: ReportHistory[]): Section {
  const change = (value: number | null, isRegression: boolean): Cell => {
    if (value === null) return null;
    const text = `${value >= 0 ? '+' : ''}${Math.round(value * 100)}%`;
    return isRegression ? { text, tone: 'bad' } : text;
  };
  return {
    title: 'History',
    notes: ['this run against the median and p99 of earlier successful runs of each task'],
    columns: [
      { header: 'task' },
      { header: 'runs', align: 'right' },
      { header: 'duration', align: 'right' },
      { header: 'median', align: 'right' },
      { header: 'p99', align: 'right' },
      { header: 'change', align: 'right' },
      { header: 'peak RSS', align: 'right' },
      { header: 'median', align: 'right' },
      { header: 'p99', align: 'right' },
      { header: 'change', align: 'right' },
    ],
    rows: history.map((task) => [
      task.task,
      task.runs,
      formatDuration(task.durationMs),
      formatDuration(task.medianDurationMs),
      formatDuration(task.p99DurationMs),
      change(task.durationChange, task.isDurationRegression),
      formatBytes(task.peakRssBytes),
      formatBytes(task.medianPeakRssBytes),
      formatBytes(task.p99PeakRssBytes),
      change(task.peakRssChange, task.isMemoryRegression),
    ]),
    empty: 'no earlier runs to compare with',
  };
}

function httpSection(report: RunReport): Section {
  const { http } = report;
  return {
    title: 'HTTP',
    columns: [
      { header: 'requests', align: 'right' },
      { header: 'connections', align: 'right' },
      { header: 'reuse', align: 'right' },
      { header: 'bytes in', align: 'right' },
      { header: 'retries', align: 'right' },
    ],
    rows: [
      [
        formatCount(http.requests),
        formatCount(http.connections),
        formatPercent(http.reuseRatio),
        formatBytes(http.bytesIn),
        formatCount(http.retries),
      ],
    ],
    empty: '',
  };
}

function problemsSection(report: RunReport): Section {
  return {
    title: 'Problems',
    columns: [
      { header: '#', align: 'right' },
      { header: 'problem', isUncut: true },
    ],
    rows: report.problems.map((problem, index) => [index + 1, { text: problem, tone: 'warn' }]),
    empty: 'none',
  };
}

/** A probability that stays readable when tiny: 0.016, 0.0021, 3.4e-5. */
function formatProbability(value: number | null): string | null {
  if (value === null || !Number.isFinite(value)) return null;
  if (value === 0 || value >= 0.01) return value.toFixed(3);
  return value >= 0.0001 ? value.toPrecision(2) : value.toExponential(1);
}

function upDown(ok: boolean): Cell {
  return ok ? { text: 'up', tone: 'good' } : { text: 'down', tone: 'bad' };
}

function taskTone(status: string): Tone {
  if (status === 'succeeded' || status === 'ok') return 'good';
  if (status === 'failed') return 'bad';
  return 'warn';
}
