import type { RecordedInteraction } from './types.ts';

/**
 * Recorded query values that stand for a redacted secret (`<REDACTED>`, `<ACCESS_TOKEN>`, `***`):
 * they match any value, since the request carries the real secret.
 */
const PLACEHOLDER = /^(<[A-Z0-9_]+>|\*\*\*)$/;

interface Entry {
  interaction: RecordedInteraction;
  method: string;
  path: string;
  query: Map<string, string[]>;
  isUsed: boolean;
}

/** @internal Finds the recording that answers a request, per the rule in `createMatcher`. */
export interface Matcher {
  match(method: string, target: string): RecordedInteraction | undefined;
}

/**
 * @internal Matching rule for replay, for the interactions of one origin:
 *
 * 1. The method is equal (case-insensitive).
 * 2. The paths are equal after URL-decoding, a trailing slash tolerated (`/user/spez/` answers
 *    `/user/spez`).
 * 3. Every query parameter of the recording is present in the request with the same values (order
 *    irrelevant, URL-decoded; a placeholder value such as `<REDACTED>` matches any value). Extra
 *    request parameters are tolerated, since clients add harmless ones (`raw_json`, cache busters).
 * 4. Among candidates, the one with the most recorded parameters wins (the most specific: a
 *    request with `after=t1_x` takes the page recorded with `after=t1_x`, not the first page).
 * 5. Among equally specific candidates, the first one not yet used wins, so identical requests
 *    replay in recorded order; once all are used, the last one repeats.
 *
 * Bodies are not compared: the sequence rule already tells repeated POSTs apart.
 */
export function createMatcher(interactions: readonly RecordedInteraction[]): Matcher {
  const entries: Entry[] = interactions.map((interaction) => {
    const url = new URL(interaction.request.uri);

    return {
      interaction,
      method: interaction.request.method.toUpperCase(),
      path: normalizePath(url.pathname),
      query: groupQuery(url.searchParams),
      isUsed: false,
    };
  });

  return {
    match(method, target) {
      const url = new URL(`http://replay.invalid${target.startsWith('/') ? '' : '/'}${target}`);
      const path = normalizePath(url.pathname);
      const query = groupQuery(url.searchParams);
      const candidates = entries.filter(
        (entry) =>
          entry.method === method.toUpperCase() && entry.path === path && satisfies(entry, query),
      );
      if (candidates.length === 0) return undefined;

      const best = Math.max(...candidates.map((entry) => entry.query.size));
      const specific = candidates.filter((entry) => entry.query.size === best);
      const chosen = specific.find((entry) => !entry.isUsed) ?? specific.at(-1)!;
      chosen.isUsed = true;

      return chosen.interaction;
    },
  };
}

function satisfies(entry: Entry, query: Map<string, string[]>): boolean {
  for (const [name, recorded] of entry.query) {
    const actual = query.get(name);
    if (actual === undefined || actual.length !== recorded.length) return false;
    if (recorded.every((value) => PLACEHOLDER.test(value))) continue;
    const sortedActual = [...actual].sort();
    const isEqual = [...recorded].sort().every((value, index) => value === sortedActual[index]);
    if (!isEqual) return false;
  }

  return true;
}

function groupQuery(params: URLSearchParams): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of params) {
    const values = grouped.get(name);
    if (values === undefined) grouped.set(name, [value]);
    else values.push(value);
  }

  return grouped;
}

function normalizePath(pathname: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    // A malformed escape cannot be decoded; compare it as written.
    decoded = pathname;
  }

  return decoded.length > 1 && decoded.endsWith('/') ? decoded.slice(0, -1) : decoded;
}
