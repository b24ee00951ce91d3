/**
 * Reading the evaluation data sets' CSV files: whole files (a few MB), split by line; neither
 * data set quotes its fields, and a quoted field is reported rather than misread.
 * @internal
 */
import { readFile } from 'node:fs/promises';
import { ConfigError, ParseError } from '../errors.ts';

/** A CSV file's header and data lines, each with its 1-based line number. */
export interface CsvLines {
  file: string;
  header: string[];
  rows: Array<{ line: number; fields: string[] }>;
}

/**
 * Reads `file` as unquoted CSV.
 * @param hint what the caller should pass instead when the file is missing.
 * @throws ConfigError when the file cannot be read; ParseError when it is empty or quoted.
 */
export async function readCsv(file: string, hint: string): Promise<CsvLines> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ConfigError(`cannot read ${file} (${String(code)}); ${hint}`, {
      cause: error,
      details: { file },
    });
  }

  const lines = text.split('\n');
  const header = (lines[0] ?? '').replace(/\r$/, '');
  if (header === '') throw new ParseError(`${file}: empty file; expected a CSV header line`);
  if (text.includes('"')) {
    throw new ParseError(`${file}: quoted fields are not supported; expected plain CSV`, {
      details: { file },
    });
  }

  const rows: CsvLines['rows'] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, '');
    if (line !== '') rows.push({ line: i + 1, fields: line.split(',') });
  }

  return { file, header: header.split(','), rows };
}

/** A count field: a finite number >= 0 with no fractional part ("2629.0" is 2629); else null. */
export function parseCount(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null;
  const value = Number(text);

  return Number.isInteger(value) && value >= 0 ? value : null;
}
