/**
 * Fetching a target once: through the run's cache (so a scrape is reused for its TTL) and
 * through an in-flight map (so two callers asking for one URL at the same time share one
 * request even when the cache does not de-duplicate, as a remote tier may not).
 */
import type { HttpClient } from '../../http/types.ts';
import type { Cache } from '../../pipeline/types.ts';

/** The kinds of endpoint the collector reads. */
export type TargetKind = 'prometheus' | 'json';

/** A fetched body. Strings and numbers only, so any cache tier can store it as it is. */
export interface FetchedBody {
  text: string;
  /** The `content-type` header, or '' without one. */
  contentType: string;
  bytes: number;
}

/** Options of one fetch. */
export interface FetchOptions {
  http: HttpClient;
  cache: Cache;
  /** Time allowed for the request, milliseconds. */
  timeoutMs: number;
  /** How long the body stays cached, milliseconds (0: not cached). */
  cacheTtlMs: number;
  signal?: AbortSignal;
}

const ACCEPT: Record<TargetKind, string> = {
  // Prometheus' own preference order: the classic text format first, OpenMetrics as a fallback.
  prometheus:
    'text/plain;version=0.0.4;q=0.9, application/openmetrics-text;version=1.0.0;q=0.5, */*;q=0.1',
  json: 'application/json, */*;q=0.1',
};

/** Shares fetches of the same target that overlap in time. */
export class SingleFlight {
  readonly #inFlight = new Map<string, Promise<FetchedBody>>();

  /**
   * The body of `url`, and whether this call made the request (false: the cache or another
   * caller's request answered). Raises what `HttpClient.request` raises.
   */
  fetch(
    kind: TargetKind,
    url: string,
    options: FetchOptions,
  ): { body: Promise<FetchedBody>; didFetch: () => boolean } {
    const key = `metrics:${kind}:${url}`;
    const pending = this.#inFlight.get(key);
    if (pending !== undefined) return { body: pending, didFetch: () => false };

    let hasFetched = false;
    const body = options.cache.getOrSet(key, options.cacheTtlMs, () => {
      hasFetched = true;
      return fetchBody(kind, url, options);
    });
    this.#inFlight.set(key, body);
    const forget = (): void => {
      if (this.#inFlight.get(key) === body) this.#inFlight.delete(key);
    };
    body.then(forget, forget);

    return { body, didFetch: () => hasFetched };
  }
}

async function fetchBody(
  kind: TargetKind,
  url: string,
  options: FetchOptions,
): Promise<FetchedBody> {
  const response = await options.http.request(url, {
    timeoutMs: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
    headers: { accept: ACCEPT[kind] },
  });

  return {
    text: response.text(),
    contentType: response.headers['content-type'] ?? '',
    bytes: response.body.length,
  };
}
