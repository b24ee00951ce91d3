/**
 * HTTP and store checks, reusable outside the health operator (the server's /healthz, the CLI).
 * A check never throws: a down target is a result, not an error.
 */
import { describeError } from '../../errors.ts';
import { redactUrl } from '../../http/index.ts';
import type { HttpClient, HttpResponse } from '../../http/types.ts';
import type { Store } from '../../store/types.ts';
import { bounded, type CheckResult, type ProbeOutcome } from './bounded.ts';
import { checkJsonConditions, type JsonCondition } from './conditions.ts';

export type { CheckResult } from './bounded.ts';

/** Options of `checkHttp`. */
export interface HttpCheckOptions {
  /** Time allowed for the whole check, milliseconds. Default: 5000. */
  timeoutMs?: number;
  /** Aborts the check (run cancellation). */
  signal?: AbortSignal | undefined;
  /** Statuses that count as up. Default: any 2xx. */
  expectStatus?: readonly number[] | undefined;
  /**
   * Count any answer below 500 as up. For platform APIs probed without credentials: a 4xx
   * proves the API is serving (the YouTube API base answers 404 to a bare request). Default:
   * false. Ignored when `expectStatus` is given.
   */
  isClientErrorUp?: boolean;
  /** A text the body must contain. Default: none. */
  expectBody?: string | undefined;
  /** A regular expression the body must match. Default: none. */
  bodyMatches?: string | RegExp | undefined;
  /** Conditions on the body parsed as JSON; all must hold. Default: none. */
  json?: readonly JsonCondition[] | undefined;
  /** Slowest acceptable answer, milliseconds; a slower one is down. Default: no limit. */
  maxLatencyMs?: number | undefined;
}

/** Default time allowed for one check, milliseconds. */
export const DEFAULT_CHECK_TIMEOUT_MS = 5_000;

/** Characters of an unexpected body quoted in the error, so payloads stay out of reports. */
const BODY_EXCERPT = 60;

/**
 * Probes `url` once: up when the status is expected, the answer came within `maxLatencyMs`, and
 * the body meets `expectBody`, `bodyMatches` and the `json` conditions.
 *
 * @example
 * const result = await checkHttp(http, 'https://broker:9600/actuator/health', {
 *   json: [{ path: 'status', equals: 'UP' }, { path: 'components.db.status', equals: 'UP' }],
 *   maxLatencyMs: 500,
 * });
 */
export function checkHttp(
  http: HttpClient,
  url: string,
  options: HttpCheckOptions = {},
): Promise<CheckResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  // The client's own errors read "GET <url> failed: ..."; every other one starts the same way.
  const target = `GET ${redactUrl(url)}`;

  return bounded(
    timeoutMs,
    options.signal,
    async (signal, elapsedMs) => {
      const answer = await http.request(url, {
        acceptStatus: 'any',
        maxAttempts: 1,
        timeoutMs,
        signal,
        headers: { accept: 'application/json, text/plain;q=0.9, */*;q=0.5' },
      });
      const outcome = judge(answer, elapsedMs(), options);
      return outcome.error === undefined
        ? outcome
        : { ...outcome, error: `${target}: ${outcome.error}` };
    },
    target,
  );
}

function judge(answer: HttpResponse, latencyMs: number, options: HttpCheckOptions): ProbeOutcome {
  const { status } = answer;
  const statusProblem = checkStatus(status, options);
  if (statusProblem !== null) return { ok: false, status, error: statusProblem };

  if (options.maxLatencyMs !== undefined && latencyMs > options.maxLatencyMs) {
    const error = `answered in ${Math.round(latencyMs)} ms, limit ${options.maxLatencyMs} ms`;
    return { ok: false, status, error };
  }

  const bodyProblem = checkBody(answer.text(), options);
  return bodyProblem === null ? { ok: true, status } : { ok: false, status, error: bodyProblem };
}

function checkStatus(status: number, options: HttpCheckOptions): string | null {
  if (options.expectStatus !== undefined) {
    return options.expectStatus.includes(status)
      ? null
      : `status ${status}, expected ${options.expectStatus.join(' or ')}`;
  }
  if (status >= 200 && status < 300) return null;
  if (options.isClientErrorUp && status >= 200 && status < 500) return null;

  return `status ${status}, expected ${options.isClientErrorUp ? 'below 500' : '2xx'}`;
}

function checkBody(text: string, options: HttpCheckOptions): string | null {
  const excerpt = (): string => JSON.stringify(text.slice(0, BODY_EXCERPT));
  if (options.expectBody !== undefined && !text.includes(options.expectBody)) {
    return `body ${excerpt()} does not contain ${JSON.stringify(options.expectBody)}`;
  }
  if (options.bodyMatches !== undefined && !new RegExp(options.bodyMatches).test(text)) {
    return `body ${excerpt()} does not match /${new RegExp(options.bodyMatches).source}/`;
  }
  if (options.json === undefined || options.json.length === 0) return null;

  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return `body ${excerpt()} is not JSON (${describeError(error)})`;
  }
  return checkJsonConditions(body, options.json);
}

/** Runs the store's `SELECT 1`; up when it returns. */
export function checkStore(store: Store): CheckResult {
  const started = performance.now();
  const latency = (): number => Math.round((performance.now() - started) * 100) / 100;

  try {
    store.ping();
    return { ok: true, latencyMs: latency() };
  } catch (error) {
    return { ok: false, latencyMs: latency(), error: describeError(error) };
  }
}
