import { ConfigError } from '../errors.ts';
import type { QueryValue } from './types.ts';

/** @internal Parses the URL and appends `query` in insertion order. */
export function buildUrl(url: string, query: Record<string, QueryValue> | undefined): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch (error) {
    throw new ConfigError(
      `HTTP request URL ${JSON.stringify(url)} is not an absolute http(s) URL`,
      {
        cause: error,
      },
    );
  }
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? (value as readonly string[]) : [String(value)];
    for (const item of values) target.searchParams.append(name, item);
  }

  return target;
}

/** @internal Origin map keys and values reduced to bare origins. */
export function normalizeMap(map: ReadonlyMap<string, string>): Map<string, string> {
  const normalized = new Map<string, string>();
  for (const [from, to] of map) normalized.set(new URL(from).origin, new URL(to).origin);

  return normalized;
}
