/** Terminal tables of the evaluation reports. */
import { formatCount, formatDuration, formatPercent } from '../observe/format.ts';
import { renderTable } from '../observe/table.ts';
import type { Cell } from '../observe/table.ts';
import type { Interval } from './estimators.ts';
import type { ObdReport, RateEstimate } from './obd.ts';
import type { UpworthyReport, UpworthyRow } from './upworthy.ts';

function policyLabel(row: UpworthyRow, report: UpworthyReport): string {
  const { epsilon, exploreShare } = report.options;
  if (row.policy === 'epsilon-greedy') return `epsilon-greedy (${epsilon})`;
  if (row.policy === 'explore-then-commit')
    return `explore-then-commit (${formatPercent(exploreShare)})`;

  return row.policy;
}

/** The Upworthy comparison as text: a heading, one row per policy and batch size, the timing. */
export function renderUpworthy(report: UpworthyReport): string {
  const { options } = report;
  const oracle = report.rows.find((row) => row.policy === 'oracle')?.expectedClicks ?? 0;
  const rows: Cell[][] = report.rows.map((row) => [
    policyLabel(row, report),
    row.batch === null ? '-' : formatCount(row.batch),
    formatCount(row.clicks),
    formatCount(row.regret),
    oracle > 0 ? formatPercent(row.regret / oracle) : '-',
    formatPercent(row.gapCaptured),
    row.mostPlayedBest === null ? '-' : formatPercent(row.mostPlayedBest),
    formatPercent(row.finalPickBest),
  ]);
  const table = renderTable(
    [
      { header: 'policy' },
      { header: 'batch', align: 'right' },
      { header: 'clicks', align: 'right' },
      { header: 'regret', align: 'right' },
      { header: 'regret %', align: 'right' },
      { header: 'gap captured', align: 'right' },
      { header: 'most played = best', align: 'right' },
      { header: 'final pick = best', align: 'right' },
    ],
    rows,
  );
  const skipped = report.skipped.length > 0 ? `, ${report.skipped.length} skipped` : '';

  return [
    `Upworthy Research Archive: ${formatCount(report.tests)} headline tests${skipped}, ` +
      `${formatCount(report.impressions)} impressions (the real tests got ` +
      `${formatCount(report.realClicks)} clicks)`,
    `Thompson sampling prior Beta(${options.priorAlpha}, ${options.priorBeta})` +
      (options.discount < 1 ? `, discount ${options.discount} per batch` : '') +
      `; seed ${options.seed}`,
    '',
    table,
    '',
    'regret: expected clicks lost against always showing the best arm; gap captured: share of',
    'the uniform-to-oracle difference in expected clicks won; best: the arm with the highest real',
    'click-through rate of its test.',
    `took ${formatDuration(report.elapsedMs)} on ${options.workers ?? 1} worker(s)`,
  ].join('\n');
}

function formatRate(value: number | null): string {
  return value === null ? '-' : `${(value * 100).toFixed(2)}%`;
}

function formatInterval(interval: Interval | null | undefined): string {
  return interval === null || interval === undefined
    ? '-'
    : `[${formatRate(interval.low)}, ${formatRate(interval.high)}]`;
}

function rateRow(label: string, estimate: RateEstimate): Cell[] {
  return [
    label,
    formatRate(estimate.ctr),
    formatInterval(estimate.interval),
    estimate.exactInterval === undefined ? '' : formatInterval(estimate.exactInterval),
    `${formatCount(estimate.support)} ${estimate.supportKind}`,
  ];
}

/** The Open Bandit Dataset evaluation as text. */
export function renderObd(report: ObdReport): string {
  const { options, evaluation, training } = report;
  const level = formatPercent(options.level).replace('.0%', '%');
  const source =
    options.train === 'bts' ? 'the production (bts) log' : 'the first half of the random log';
  const table = renderTable(
    [
      { header: 'estimate' },
      { header: 'CTR', align: 'right' },
      { header: `${level} bootstrap`, align: 'right' },
      { header: `${level} exact`, align: 'right' },
      { header: 'based on', align: 'right' },
    ],
    [
      ...report.estimates.map((e) => rateRow(`Flywheel's policy, ${e.name}`, e)),
      ...report.logged.map((e) => rateRow(`logged: ${e.name}`, e)),
      rateRow(report.check.name, report.check),
    ],
  );

  return [
    `Open Bandit Dataset, ${options.campaign} campaign: off-policy evaluation on the uniform-random ` +
      `log (${formatCount(evaluation.rows)} impressions, ${formatCount(evaluation.clicks)} clicks, ` +
      `${evaluation.items} items)`,
    `Flywheel's policy: Thompson sampling, prior Beta(${options.priorAlpha}, ${options.priorBeta}), ` +
      `learned from ${source} (${formatCount(training.rows)} impressions, ` +
      `${formatCount(training.clicks)} clicks); choice probabilities from ` +
      `${formatCount(options.draws)} draws; ${formatCount(options.resamples)} bootstrap resamples; ` +
      `seed ${options.seed}`,
    '',
    table,
    '',
    'exact: Clopper-Pearson given the matched rows (the bootstrap of a replay without a matched',
    "click collapses to [0, 0]). check: the production policy's item frequencies estimated by the",
    'same IPW, to compare with what that policy reached on-line.',
    `took ${formatDuration(report.elapsedMs)}`,
  ].join('\n');
}
