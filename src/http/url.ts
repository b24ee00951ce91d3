import { ConfigError, ReplayMissError } from '../errors.ts';
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

/**
 * @internal Replay rewriting: a recorded origin (`https://oauth.reddit.com`) is answered by a
 * local one (`http://127.0.0.1:40123`); path and query are kept.
 */
export class OriginRewriter {
  readonly #map: Map<string, string> | undefined;
  readonly #isStrict: boolean;

  constructor(map: ReadonlyMap<string, string> | undefined, isStrict: boolean) {
    this.#map = map === undefined ? undefined : normalizeMap(map);
    this.#isStrict = isStrict;
  }

  /** The URL to send to. Raises `ReplayMissError` for an unmapped origin when strict. */
  rewrite(url: URL): URL {
    if (this.#map === undefined) return url;
    const mapped = this.#map.get(url.origin);
    if (mapped === undefined) {
      if (!this.#isStrict) return url;
      throw new ReplayMissError(
        `Origin ${url.origin} has no replay server (replaying: ${[...this.#map.keys()].join(', ')}); replay never goes to the network`,
        { details: { origin: url.origin } },
      );
    }

    return new URL(`${url.pathname}${url.search}`, mapped);
  }

  /**
   * A replay server rewrites recorded links (`Link`, `Location`) to its local origin; following
   * one must stay allowed and count under the recorded origin, so it is mapped back first.
   */
  unrewrite(url: URL): URL {
    if (this.#map === undefined) return url;
    for (const [recorded, local] of this.#map) {
      if (local === url.origin) return new URL(`${url.pathname}${url.search}`, recorded);
    }

    return url;
  }
}
