/** Where the shared real-data recordings live: `../shared/data` beside the checkout. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DATA_DIR = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** Whether the shared data is present; tests that need it skip with a message when it is not. */
export const hasData = existsSync(DATA_DIR);

/** Absolute path of a file or folder under the shared data. */
export function dataPath(relative: string): string {
  return fileURLToPath(new URL(relative, new URL('../../../shared/data/', import.meta.url)));
}

/** Appended to the titles of suites that need the data, so a skipped suite says why. */
export const SKIP_NOTE = hasData ? '' : ' (skipped: ../shared/data absent)';
