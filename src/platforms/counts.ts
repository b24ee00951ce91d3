/**
 * Count normalisation shared by every adapter.
 *
 * Platforms report counts as numbers, numeric strings ("1234", YouTube), floats (Reddit's
 * `x.0`), abbreviated strings ("1.2K", "3M") or not at all (hidden like counts). Anything that
 * cannot be read as a finite, non-negative number becomes `null`, never a made-up zero.
 */
import type { Counts } from './types.ts';

const SUFFIX_FACTORS: Record<string, number> = {
  k: 1e3,
  m: 1e6,
  b: 1e9,
  t: 1e12,
};

/** "1,234", "1 234", "1.2K", "3M", "12.5k" and plain numerals; group separators are dropped. */
const COUNT_PATTERN = /^(\d+(?:\.\d+)?)\s*([kmbt])?$/i;

/**
 * Reads one count. Returns a non-negative integer, or `null` when the value is missing, hidden
 * or unreadable. Floats are rounded (Reddit serialises some counts as `12.0`).
 */
export function parseCount(value: unknown): number | null {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
  }
  if (typeof value === 'bigint') return value >= 0n ? Number(value) : null;
  if (typeof value !== 'string') return null;

  const compact = value.trim().replace(/[,_\s](?=\d)/g, '');
  const match = COUNT_PATTERN.exec(compact);
  if (match === null) return null;

  const factor = match[2] === undefined ? 1 : (SUFFIX_FACTORS[match[2].toLowerCase()] ?? 1);
  const count = Number(match[1]) * factor;

  return Number.isFinite(count) ? Math.round(count) : null;
}

/**
 * Reads a platform score, which unlike a count may be negative (a downvoted Reddit comment
 * scores -3; nulling it would hide a real signal). Other rules as `parseCount`.
 */
export function parseScore(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value) : null;
  if (typeof value === 'string' && /^\s*-\d+\s*$/.test(value)) return Number(value.trim());

  return parseCount(value);
}

/** Counts with every field unknown; adapters fill in what the platform reports. */
export function emptyCounts(): Counts {
  return { views: null, likes: null, replies: null, reposts: null, quotes: null, score: null };
}

/** Builds `Counts` from raw platform values: `parseCount` for counts, `parseScore` for the score. */
export function toCounts(raw: Partial<Record<keyof Counts, unknown>>): Counts {
  return {
    views: parseCount(raw.views),
    likes: parseCount(raw.likes),
    replies: parseCount(raw.replies),
    reposts: parseCount(raw.reposts),
    quotes: parseCount(raw.quotes),
    score: parseScore(raw.score),
  };
}
