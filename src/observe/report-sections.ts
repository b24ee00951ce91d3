/**
 * The report's sections as data (title, columns, rows), shared by the terminal and Markdown
 * renderings so both always show the same figures.
 * @internal
 */
import { formatBytes, formatCount, formatDuration, formatFixed, formatPercent } from './format.ts';
import type { ReportEngine, ReportHistory, RunReport } from './report-types.ts';
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
    ...engineSections(report, ran),
    ...when('thompson', () => armsSection(report)),
    ...when('thompson', () => recommendationsSection(report)),
    ...when('health', () => healthSection(report)),
    ...when('metrics', () => metricsSection(report)),
    ...(report.history === undefined ? [] : [historySection(report.history)]),
    httpSection(report),
    ...((report.http.byOrigin ?? []).length > 0 ? [httpOriginsSection(report)] : []),
    ...(report.cache ? [cacheSection(report.cache)] : []),
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
      { header: 'against' },
      { header: 'url', isUncut: true },
    ],
    // The reason (in the JSON report) restates z and the ratio; the URL is what a reader needs.
    rows: top.map((post) => [
      post.platform,
      post.account,
      formatFixed(post.score),
      post.ratio === null ? null : `${formatFixed(post.ratio, 1)}x`,
      againstText(post.basis, post.ageHours),
      post.url ?? post.postId,
    ]),
    empty: 'no viral posts this run',
  };
}

/** Which baseline judged a viral post: `mature`, `all`, or `equal-age 6.0h`. */
function againstText(basis: string | undefined, ageHours: number | undefined): string | null {
  if (basis === undefined) return null;
  if (basis !== 'equal-age' || ageHours === undefined) return basis;

  return `equal-age ${formatHours(ageHours)}`;
}

/** 0.5 -> "30m", 6 -> "6.0h", 30 -> "30h", 72 -> "3.0d". */
function formatHours(hours: number | null | undefined): string | null {
  if (hours === null || hours === undefined || !Number.isFinite(hours)) return null;
  if (hours < 1) return `${Math.round(hours * 60)}m`;
  if (hours < 48) return hours < 10 ? `${hours.toFixed(1)}h` : `${Math.round(hours)}h`;

  return `${(hours / 24).toFixed(1)}d`;
}

/** The engine's labels, rising posts, prediction error and refresh; only when it ran. */
function engineSections(report: RunReport, ran: ReadonlySet<string>): Section[] {
  const engine = report.engine;
  if (!ran.has('engine') || engine === undefined) return [];

  return [
    labelsSection(engine),
    risingSection(engine),
    predictionSection(engine),
    refreshSection(engine),
  ];
}

const BASIS_MEANING: Record<string, string> = {
  'equal-age': "young posts, against the account's posts at about the same age (from snapshots)",
  mature: "against the account's settled posts",
  all: "against all the account's recent posts (too few settled yet)",
};

function labelsSection(engine: ReportEngine): Section {
  const { labels } = engine;
  const scored = labels.viral + labels.notViral;
  return {
    title: 'Why posts were labelled',
    notes: [
      `${formatCount(scored)} scored: ${formatCount(labels.viral)} viral, ` +
        `${formatCount(labels.notViral)} not viral; ${formatCount(labels.noBaseline)} ` +
        `with no baseline yet (too few posts); ${formatCount(labels.notScored)} not scored ` +
        '(reposts, no counts). Each reason is stored with its score.',
    ],
    columns: [
      { header: 'judged', align: 'left' },
      { header: 'posts', align: 'right' },
      { header: 'meaning' },
    ],
    rows: Object.entries(labels.byBasis).map(([basis, posts]) => [
      basis,
      formatCount(posts),
      BASIS_MEANING[basis] ?? null,
    ]),
    empty: 'no posts scored',
  };
}

function risingSection(engine: ReportEngine): Section {
  const top = engine.rising.slice(0, TOP);
  return {
    title: `Rising: predicted viral once mature (${top.length} of ${engine.rising.length})`,
    columns: [
      { header: 'platform' },
      { header: 'account' },
      { header: 'age', align: 'right' },
      { header: 'now', align: 'right' },
      { header: 'predicted', align: 'right' },
      { header: 'x median', align: 'right' },
      { header: 'url', isUncut: true },
    ],
    rows: top.map((post) => [
      post.platform,
      post.account,
      formatHours(post.ageHours),
      formatCount(post.engagement),
      formatCount(post.predicted),
      `${formatFixed(post.ratio, 1)}x`,
      post.url ?? post.postId,
    ]),
    empty: 'no young post is predicted to be viral',
  };
}

function predictionSection(engine: ReportEngine): Section {
  return {
    title: 'Early prediction, error on held-out posts',
    notes: [
      'log1p N(T) = log1p N(t) + b(t); MAE in log units (0.69 is a factor of 2); ' +
        'no-growth is the same error when predicting that counts stay where they are',
    ],
    columns: [
      { header: 'platform' },
      { header: 'T', align: 'right' },
      { header: 'posts', align: 'right' },
      { header: 'ages', align: 'right' },
      { header: 'train pairs', align: 'right' },
      { header: 'held-out pairs', align: 'right' },
      { header: 'MAE', align: 'right' },
      { header: 'no-growth MAE', align: 'right' },
      { header: 'median error', align: 'right' },
    ],
    rows: engine.prediction.map((model) => [
      model.platform,
      `${formatFixed(model.targetHours, 0)}h`,
      formatCount(model.posts),
      model.ages.length,
      formatCount(model.trainPairs),
      formatCount(model.heldOutPairs),
      formatFixed(model.maeLog, 3),
      formatFixed(model.persistenceMaeLog, 3),
      formatPercent(model.medianRelativeError),
    ]),
    empty: 'no snapshot pairs yet: posts need counts read young and again at the mature age',
  };
}

function refreshSection(engine: ReportEngine): Section {
  return {
    title: 'Refresh of recent counts',
    columns: [
      { header: 'platform' },
      { header: 'posts', align: 'right' },
      { header: 'cached', align: 'right' },
      { header: 'ids/request', align: 'right' },
      { header: 'lookups', align: 'right' },
      { header: 'requests', align: 'right' },
      { header: 'snapshots', align: 'right' },
      { header: 'failed', align: 'right' },
    ],
    rows: engine.refresh.map((platform) => [
      platform.platform,
      formatCount(platform.posts),
      formatCount(platform.cached),
      platform.batchSize,
      formatCount(platform.batches),
      formatCount(platform.requests),
      formatCount(platform.refreshed),
      platform.failed === 0 ? '0' : { text: String(platform.failed), tone: 'warn' },
    ]),
    empty: 'nothing to refresh',
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
      healthState(check),
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
    // Rows are this run's finished tasks; with none (`flywheel task metrics` alone) there is
    // nothing of this run to hold against the earlier ones.
    empty: 'no task finished before metrics in this run, so there is nothing to compare',
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

function httpOriginsSection(report: RunReport): Section {
  return {
    title: 'HTTP by origin',
    columns: [
      { header: 'origin' },
      { header: 'requests', align: 'right' },
      { header: 'conns', align: 'right' },
      { header: 'reuse', align: 'right' },
      { header: 'retries', align: 'right' },
      { header: 'errors', align: 'right' },
      { header: 'rate waits', align: 'right' },
      { header: 'waited', align: 'right' },
      { header: 'circuit' },
      { header: 'opened', align: 'right' },
      { header: 'refused', align: 'right' },
    ],
    rows: (report.http.byOrigin ?? []).map((origin) => [
      origin.origin,
      formatCount(origin.requests),
      formatCount(origin.connections),
      formatPercent(origin.reuseRatio),
      formatCount(origin.retries),
      formatCount(origin.errors),
      formatCount(origin.rateLimitWaits),
      formatDuration(origin.waitMs),
      { text: origin.circuitState, tone: circuitTone(origin.circuitState) },
      formatCount(origin.circuitOpens),
      formatCount(origin.circuitRejections),
    ]),
    empty: 'no requests',
  };
}

function circuitTone(state: string): Tone {
  if (state === 'closed') return 'good';
  return state === 'open' ? 'bad' : 'warn';
}

function cacheSection(cache: NonNullable<RunReport['cache']>): Section {
  const where = cache.redis === undefined ? '' : ` (redis ${cache.redis})`;
  return {
    title: 'Cache',
    notes: [`state ${cache.state}${where}`],
    columns: [
      { header: 'tier' },
      { header: 'hits', align: 'right' },
      { header: 'misses', align: 'right' },
      { header: 'errors', align: 'right' },
      { header: 'hit ratio', align: 'right' },
    ],
    rows: cache.tiers.map((tier) => [
      tier.tier,
      formatCount(tier.hits),
      formatCount(tier.misses),
      tier.errors > 0 ? { text: formatCount(tier.errors), tone: 'warn' } : formatCount(tier.errors),
      formatPercent(tier.hits + tier.misses === 0 ? null : tier.hits / (tier.hits + tier.misses)),
    ]),
    empty: 'off (naive profile)',
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

/** The state after thresholds, with a failing probe of an up target shown as such. */
function healthState(check: RunReport['health'][number]): Cell {
  if (check.state === undefined || check.state === 'unknown') return upDown(check.ok);
  if (check.state === 'down') {
    return { text: check.breaker === 'open' ? 'down (breaker open)' : 'down', tone: 'bad' };
  }
  return check.ok ? upDown(true) : { text: `up, failing ${check.failures ?? 1}x`, tone: 'warn' };
}

function upDown(ok: boolean): Cell {
  return ok ? { text: 'up', tone: 'good' } : { text: 'down', tone: 'bad' };
}

function taskTone(status: string): Tone {
  if (status === 'succeeded' || status === 'ok') return 'good';
  if (status === 'failed') return 'bad';
  return 'warn';
}
