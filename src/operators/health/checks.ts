/**
 * Single health checks, reusable outside the health operator (the server's /healthz, the CLI).
 * A check never throws: a down target is a result, not an error.
 */
import { describeError, isReplayMissError } from '../../errors.ts';
import type { HttpClient } from '../../http/types.ts';
import type { Store } from '../../store/types.ts';

/** The outcome of one check. */
export interface CheckResult {
  ok: boolean;
  /** The HTTP status, when an answer came. */
  status?: number;
  /** From sending the request to the full body (or the failure), milliseconds. */
  latencyMs: number;
  /** Why the target is down; absent when ok. */
  error?: string;
  /**
   * The state could not be known, e.g. a replayed run whose recordings hold no answer for the
   * probe. Such a target is not ok, but nothing is skipped because of it.
   */
  isUnknown?: boolean;
}

/** Options of `checkHttp`. */
export interface HttpCheckOptions {
  /** Time allowed for the whole check, milliseconds. Default: 5000. */
  timeoutMs?: number;
  /** A text the body must contain for the target to count as up. Default: none. */
  expectBody?: string | undefined;
  /** Aborts the check (run cancellation). */
  signal?: AbortSignal | undefined;
  /**
   * Count any answer below 500 as up. For platform APIs probed without credentials: a 4xx
   * proves the API is serving (the YouTube API base answers 404 to a bare request). Default:
   * false, only 2xx is up.
   */
  isClientErrorUp?: boolean;
}

/** Default time allowed for one check, milliseconds. */
export const DEFAULT_CHECK_TIMEOUT_MS = 5_000;

/** Characters of an unexpected body quoted in the error, so payloads stay out of reports. */
const BODY_EXCERPT = 60;

/**
 * Probes `url` once: up when it answers 2xx within the timeout and, if `expectBody` is given,
 * its body contains that text.
 *
 * @example
 * const result = await checkHttp(http, 'https://mastodon.social/health', { expectBody: 'OK' });
 */
export async function checkHttp(
  http: HttpClient,
  url: string,
  options: HttpCheckOptions = {},
): Promise<CheckResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const started = performance.now();
  const latency = (): number => Math.round((performance.now() - started) * 100) / 100;

  const timeout = new AbortController();
  const signal =
    options.signal === undefined
      ? timeout.signal
      : AbortSignal.any([timeout.signal, options.signal]);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      timeout.abort();
      resolve('timeout');
    }, timeoutMs);
  });

  const request = http.request(url, {
    acceptStatus: 'any',
    maxAttempts: 1,
    timeoutMs,
    signal,
    headers: { accept: 'text/plain, application/json;q=0.9, */*;q=0.5' },
  });
  // The race below may settle first; the request's own rejection (its abort) is expected then.
  request.catch(() => undefined);

  try {
    // Racing the timer keeps the check bounded even if a client is slow to honour the abort.
    const answer = await Promise.race([request, expired]);
    if (answer === 'timeout') {
      return { ok: false, latencyMs: latency(), error: `no answer within ${timeoutMs} ms` };
    }

    const { status } = answer;
    const isUp = options.isClientErrorUp
      ? status >= 200 && status < 500
      : status >= 200 && status < 300;
    if (!isUp) {
      return {
        ok: false,
        status,
        latencyMs: latency(),
        error: `status ${status}, expected ${options.isClientErrorUp ? 'below 500' : '2xx'}`,
      };
    }
    if (options.expectBody !== undefined && !answer.text().includes(options.expectBody)) {
      const excerpt = JSON.stringify(answer.text().slice(0, BODY_EXCERPT));
      const error = `body ${excerpt} does not contain ${JSON.stringify(options.expectBody)}`;
      return { ok: false, status, latencyMs: latency(), error };
    }

    return { ok: true, status, latencyMs: latency() };
  } catch (error) {
    if (isReplayMissError(error)) {
      return { ok: false, isUnknown: true, latencyMs: latency(), error: 'no recorded answer' };
    }
    return { ok: false, latencyMs: latency(), error: describeError(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Times a trivial store call; up when it returns. */
export function checkStore(store: Store): CheckResult {
  const started = performance.now();
  const latency = (): number => Math.round((performance.now() - started) * 100) / 100;

  try {
    store.countPosts();
    return { ok: true, latencyMs: latency() };
  } catch (error) {
    return { ok: false, latencyMs: latency(), error: describeError(error) };
  }
}
