/** Number formatting shared by the terminal and Markdown reports; null and non-finite show "-". */

const MISSING = '-';

function isShown(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** 950 -> "950 ms", 1234 -> "1.23 s", 62000 -> "1m 02s". */
export function formatDuration(ms: number | null | undefined): string {
  if (!isShown(ms)) return MISSING;
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(2)} s`;

  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1_000);
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

/** 1536 -> "1.5 KiB", 52428800 -> "50.0 MiB". */
export function formatBytes(bytes: number | null | undefined): string {
  if (!isShown(bytes)) return MISSING;
  if (bytes < 1024) return `${Math.round(bytes)} B`;

  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit] ?? 'TiB'}`;
}

/** 0.953 -> "95.3%". */
export function formatPercent(ratio: number | null | undefined): string {
  return isShown(ratio) ? `${(ratio * 100).toFixed(1)}%` : MISSING;
}

/** A fixed number of decimals: 3.14159 -> "3.14". */
export function formatFixed(value: number | null | undefined, digits = 2): string {
  return isShown(value) ? value.toFixed(digits) : MISSING;
}

/** Integers with thousands separators: 1857 -> "1,857". */
export function formatCount(value: number | null | undefined): string {
  return isShown(value) ? Math.round(value).toLocaleString('en-US') : MISSING;
}
