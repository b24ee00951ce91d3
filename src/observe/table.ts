/**
 * A tiny plain-text table formatter for the terminal report: padded columns, numbers
 * right-aligned, a rule under the header, and optional ANSI colour applied after padding so
 * escape codes never disturb the alignment.
 */

/** How a coloured cell reads. */
export type Tone = 'good' | 'warn' | 'bad' | 'dim';

/** A table cell: text, a number (right-aligned), null (shown as "-"), or toned text. */
export type Cell = string | number | null | { text: string; tone: Tone };

/** One column. */
export interface Column {
  header: string;
  /** Default: `right` when every cell of the column is a number or null, else `left`. */
  align?: 'left' | 'right';
  /**
   * Never cut this column to fit the width (a URL or a message cut short is useless); the
   * terminal wraps the line instead. Default: false.
   */
  isUncut?: boolean;
}

/** Options of `renderTable`. */
export interface TableOptions {
  /** Wrap toned cells in ANSI colours. Default: false. */
  color?: boolean;
  /** Longest line wanted, characters; the widest text column is cut to fit. Default: no limit. */
  width?: number;
}

const SEPARATOR = '  ';
const MIN_CUT_WIDTH = 8;
const ANSI: Record<Tone, string> = {
  good: '\u001b[32m',
  warn: '\u001b[33m',
  bad: '\u001b[31m',
  dim: '\u001b[2m',
};
const RESET = '\u001b[0m';

/** Wraps `text` in the ANSI colour of `tone`. */
export function paint(text: string, tone: Tone): string {
  return `${ANSI[tone]}${text}${RESET}`;
}

/** The text a cell shows, before padding. Non-finite numbers show as "-". */
export function cellText(cell: Cell): string {
  if (cell === null) return '-';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '-';
  // A line break inside a cell would break the row apart.
  const text = typeof cell === 'string' ? cell : cell.text;
  return text.includes('\n') ? text.replaceAll('\n', ' ') : text;
}

/**
 * Renders rows under a header and a rule. Every line of the result has the same length.
 *
 * @example
 * renderTable([{ header: 'task' }, { header: 'ms' }], [['scrape', 120]]);
 * // task    ms
 * // ------  ---
 * // scrape  120
 */
export function renderTable(columns: Column[], rows: Cell[][], options: TableOptions = {}): string {
  const texts = rows.map((row) => columns.map((_, index) => cellText(row[index] ?? null)));
  const aligns = columns.map((column, index) => column.align ?? inferAlign(rows, index));
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...texts.map((row) => (row[index] ?? '').length)),
  );
  fitWidths(
    widths,
    aligns.map((align, index) => (columns[index]?.isUncut ? 'right' : align)),
    options.width,
  );

  const line = (cells: string[], tones: Array<Tone | undefined>): string =>
    cells
      .map((text, index) => {
        const width = widths[index] ?? 0;
        const cut = text.length > width ? `${text.slice(0, width - 3)}...` : text;
        // The last left-aligned column needs no padding: it would only leave trailing spaces.
        const isLast = index === cells.length - 1;
        const padded =
          aligns[index] === 'right' ? cut.padStart(width) : isLast ? cut : cut.padEnd(width);
        const tone = tones[index];
        return options.color === true && tone !== undefined ? paint(padded, tone) : padded;
      })
      .join(SEPARATOR);

  const header = line(
    columns.map((column) => column.header),
    [],
  );
  const rule = widths.map((width) => '-'.repeat(width)).join(SEPARATOR);
  const body = rows.map((row, index) => line(texts[index] ?? [], row.map(toneOf)));

  return [header, rule, ...body].join('\n');
}

function inferAlign(rows: Cell[][], index: number): 'left' | 'right' {
  const cells = rows.map((row) => row[index] ?? null);
  const isNumeric =
    cells.some((cell) => typeof cell === 'number') &&
    cells.every((cell) => cell === null || typeof cell === 'number');
  return isNumeric ? 'right' : 'left';
}

function toneOf(cell: Cell): Tone | undefined {
  return cell !== null && typeof cell === 'object' ? cell.tone : undefined;
}

/** Narrows the widest left-aligned (cuttable) columns until the table fits `width`, if it can. */
function fitWidths(
  widths: number[],
  aligns: Array<'left' | 'right'>,
  width: number | undefined,
): void {
  if (width === undefined) return;
  const total = (): number =>
    widths.reduce((sum, w) => sum + w, 0) + SEPARATOR.length * (widths.length - 1);

  while (total() > width) {
    let widest = -1;
    widths.forEach((w, index) => {
      if (
        aligns[index] === 'left' &&
        w > MIN_CUT_WIDTH &&
        (widest === -1 || w > (widths[widest] ?? 0))
      ) {
        widest = index;
      }
    });
    if (widest === -1) return;
    widths[widest] = Math.max(MIN_CUT_WIDTH, (widths[widest] ?? 0) - (total() - width));
  }
}
