/**
 * The run report's two renderings: a terminal text with aligned tables and a Markdown page,
 * both built from the same sections.
 */
import { formatDuration } from './format.ts';
import { buildSections } from './report-sections.ts';
import type { RunReport } from './report-types.ts';
import { paint, renderTable, type Cell, type Column, type Tone } from './table.ts';

export type {
  ReportAccount,
  ReportArm,
  ReportEngine,
  ReportPrediction,
  ReportRefresh,
  ReportRisingPost,
  ReportHealth,
  ReportHttpOrigin,
  ReportCache,
  ReportCacheTier,
  ReportHistory,
  ReportMetrics,
  ReportRecommendation,
  ReportTask,
  ReportViralPost,
  RunReport,
} from './report-types.ts';

/** Options of `renderReport`. */
export interface RenderOptions {
  /** ANSI colours for statuses. Default: false. */
  color?: boolean;
  /** Longest table line, characters. Default: 120. */
  width?: number;
}

const DEFAULT_WIDTH = 120;

/**
 * Renders the report for a terminal: a header line, then one aligned table per section.
 *
 * @example
 * process.stdout.write(renderReport(report, { color: process.stdout.isTTY }) + '\n');
 */
export function renderReport(report: RunReport, options: RenderOptions = {}): string {
  const isColored = options.color === true;
  const width = options.width ?? DEFAULT_WIDTH;
  const status = report.status.toUpperCase();
  const header =
    `Flywheel run ${report.runId}  ${isColored ? paint(status, statusTone(report.status)) : status}` +
    `  ${formatDuration(report.durationMs)}  profile ${report.profile}`;
  const period = `started ${report.startedAt}  finished ${report.finishedAt}`;

  const blocks = buildSections(report).map((section) => {
    const title = `${section.title}\n${'='.repeat(section.title.length)}`;
    const notes = section.notes ?? [];
    const body =
      section.rows.length === 0
        ? section.empty
        : renderTable(section.columns, section.rows, { color: isColored, width });
    return [title, ...notes, body].join('\n');
  });

  const notes = (report.notes ?? []).map((note) => `note: ${note}`);
  const head = notes.length === 0 ? [header, period] : [header, period, notes.join('\n')];

  return [...head, ...blocks].join('\n\n');
}

/** Renders the report as a Markdown page with one table per section. */
export function renderMarkdownReport(report: RunReport): string {
  const lines = [
    `# Flywheel run ${report.runId}`,
    '',
    `**${report.status}** in ${formatDuration(report.durationMs)}, profile \`${report.profile}\`, ` +
      `started ${report.startedAt}, finished ${report.finishedAt}.`,
  ];
  for (const note of report.notes ?? []) lines.push('', `> **Note:** ${note}`);

  for (const section of buildSections(report)) {
    lines.push('', `## ${section.title}`, '');
    for (const note of section.notes ?? []) lines.push(`${note}  `);
    if (section.notes !== undefined) lines.push('');
    if (section.rows.length === 0) {
      lines.push(`_${section.empty}_`);
      continue;
    }
    lines.push(...markdownTable(section.columns, section.rows));
  }

  return `${lines.join('\n')}\n`;
}

function statusTone(status: RunReport['status']): Tone {
  switch (status) {
    case 'succeeded':
      return 'good';
    case 'degraded':
    case 'partial':
      return 'warn';
    case 'failed':
      return 'bad';
  }
}

function markdownTable(columns: Column[], rows: Cell[][]): string[] {
  const escape = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const cell = (value: Cell | undefined): string => {
    if (value === undefined || value === null) return '-';
    if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '-';
    return escape(typeof value === 'string' ? value : value.text);
  };

  return [
    `| ${columns.map((column) => escape(column.header)).join(' | ')} |`,
    `| ${columns.map((column) => (column.align === 'right' ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${columns.map((_, index) => cell(row[index])).join(' | ')} |`),
  ];
}
