/**
 * The Upworthy Research Archive's headline tests as Bernoulli bandits: impressions and clicks per
 * arm, from `n_matrix.csv` and `y_matrix.csv` (one row per test, columns 0..13 = arms, unused
 * arms 0). A bad row is skipped with its reason; the rest are kept.
 */
import { join } from 'node:path';
import { readCsv, parseCount } from './csv.ts';

/** One A/B test: its arms' impressions and clicks (only the arms it used). */
export interface HeadlineTest {
  id: string;
  impressions: Float64Array;
  clicks: Float64Array;
}

/** The loaded tests, and the rows left out with why. */
export interface HeadlineTests {
  tests: HeadlineTest[];
  skipped: Array<{ id: string; line: number; reason: string }>;
}

const HINT =
  'pass --data DIR with n_matrix.csv and y_matrix.csv, impressions and clicks per arm of the ' +
  'Upworthy Research Archive (osf.io/jd64p; docs/evaluate.md has the format and a source)';

function parseRow(
  nFields: string[],
  yFields: string[],
): { impressions: number[]; clicks: number[] } | string {
  if (nFields.length !== yFields.length) {
    return `n has ${nFields.length - 1} arms but y has ${yFields.length - 1}`;
  }
  const impressions: number[] = [];
  const clicks: number[] = [];
  for (let arm = 1; arm < nFields.length; arm++) {
    const n = parseCount(nFields[arm]);
    const y = parseCount(yFields[arm]);
    if (n === null || y === null) {
      return `arm ${arm - 1} has impressions "${nFields[arm]}" and clicks "${yFields[arm]}"; expected whole numbers >= 0`;
    }
    if (y > n) return `arm ${arm - 1} has ${y} clicks but only ${n} impressions`;
    if (n > 0) {
      impressions.push(n);
      clicks.push(y);
    }
  }

  return impressions.length < 2
    ? `${impressions.length} arm(s) with impressions; a test needs at least 2`
    : { impressions, clicks };
}

/**
 * Loads the tests in `dir`, in file order.
 * @throws ConfigError when a file is missing; ParseError when the files do not pair up.
 * @example
 * const { tests } = await loadHeadlineTests('../shared/data/upworthy/ains-arch-upworthy-hierarchy');
 */
export async function loadHeadlineTests(dir: string): Promise<HeadlineTests> {
  // Both are read at once, but a failure is reported in file order: whichever read failed
  // first must not decide the message (a missing folder names n_matrix.csv, always).
  const [nRead, yRead] = await Promise.allSettled([
    readCsv(join(dir, 'n_matrix.csv'), HINT),
    readCsv(join(dir, 'y_matrix.csv'), HINT),
  ]);
  if (nRead.status === 'rejected') throw nRead.reason;
  if (yRead.status === 'rejected') throw yRead.reason;
  const [n, y] = [nRead.value, yRead.value];
  const clicksById = new Map(y.rows.map((row) => [row.fields[0] ?? '', row.fields]));
  const result: HeadlineTests = { tests: [], skipped: [] };

  for (const row of n.rows) {
    const id = row.fields[0] ?? '';
    const yFields = clicksById.get(id);
    const parsed =
      yFields === undefined
        ? `no row for test "${id}" in ${y.file}`
        : parseRow(row.fields, yFields);
    if (typeof parsed === 'string') {
      result.skipped.push({ id, line: row.line, reason: parsed });
      continue;
    }
    result.tests.push({
      id,
      impressions: Float64Array.from(parsed.impressions),
      clicks: Float64Array.from(parsed.clicks),
    });
  }

  return result;
}
