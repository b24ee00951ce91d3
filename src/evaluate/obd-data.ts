/**
 * Logged bandit feedback in the Open Bandit Dataset's CSV format: one row per impression with the
 * item shown (`item_id`), its slot (`position`), whether it was clicked (`click`) and the logging
 * policy's probability of that choice (`propensity_score`). Rows are ordered by `timestamp`.
 */
import { ParseError } from '../errors.ts';
import { readCsv } from './csv.ts';

/** A log as typed arrays, in time order. */
export interface BanditLog {
  file: string;
  rows: number;
  /** Number of items: the largest item id + 1. */
  items: number;
  item: Int32Array;
  position: Int32Array;
  click: Uint8Array;
  propensity: Float64Array;
  /** Rows left out, with why. */
  skipped: Array<{ line: number; reason: string }>;
}

const COLUMNS = ['timestamp', 'item_id', 'position', 'click', 'propensity_score'] as const;

/**
 * Reads one log file.
 * @throws ConfigError when the file is missing; ParseError when a column is missing or no row is
 *   usable.
 */
export async function loadBanditLog(file: string): Promise<BanditLog> {
  const csv = await readCsv(
    file,
    'pass --data DIR holding {bts,random}/<campaign>/<campaign>.csv, as in the obd/ folder of ' +
      'github.com/st-tech/zr-obp (see docs/evaluate.md)',
  );
  const at = Object.fromEntries(
    COLUMNS.map((name) => {
      const index = csv.header.indexOf(name);
      if (index < 0) {
        throw new ParseError(
          `${file}: no "${name}" column; expected the Open Bandit Dataset header`,
          {
            details: { file, column: name },
          },
        );
      }
      return [name, index];
    }),
  ) as Record<(typeof COLUMNS)[number], number>;

  const kept: Array<{ time: string; item: number; position: number; click: number; p: number }> =
    [];
  const skipped: BanditLog['skipped'] = [];
  for (const { line, fields } of csv.rows) {
    const item = Number(fields[at.item_id]);
    const position = Number(fields[at.position]);
    const click = Number(fields[at.click]);
    const p = Number(fields[at.propensity_score]);
    if (!Number.isInteger(item) || item < 0) {
      skipped.push({ line, reason: `item_id "${fields[at.item_id]}"; expected an integer >= 0` });
    } else if (click !== 0 && click !== 1) {
      skipped.push({ line, reason: `click "${fields[at.click]}"; expected 0 or 1` });
    } else if (!(p > 0 && p <= 1)) {
      skipped.push({
        line,
        reason: `propensity_score "${fields[at.propensity_score]}"; expected (0, 1]`,
      });
    } else {
      kept.push({ time: fields[at.timestamp] ?? '', item, position, click, p });
    }
  }
  if (kept.length === 0) throw new ParseError(`${file}: no usable row`, { details: { file } });

  // Stable: rows with equal times keep their file order.
  kept.sort((x, y) => (x.time < y.time ? -1 : x.time > y.time ? 1 : 0));
  return {
    file,
    rows: kept.length,
    items: kept.reduce((max, row) => Math.max(max, row.item), 0) + 1,
    item: Int32Array.from(kept, (row) => row.item),
    position: Int32Array.from(kept, (row) => row.position),
    click: Uint8Array.from(kept, (row) => row.click),
    propensity: Float64Array.from(kept, (row) => row.p),
    skipped,
  };
}
