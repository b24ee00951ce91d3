import { performance } from 'node:perf_hooks';

import { HttpStatusError, ParseError, ReplayMissError } from '../errors.ts';
import { redactedHref, type AttemptResult, type RequestRun } from './attempt.ts';
import { decodeBody } from './decode.ts';
import { redactUrl } from './redact.ts';
import { isRetryableStatus } from './retry.ts';
import type { HttpMethod, HttpResponse } from './types.ts';

/** Header a replay server sets on a 404 that no recording answers. */
export const REPLAY_MISS_HEADER = 'x-flywheel-replay';

/**
 * @internal The response of a request's last attempt: decoded (to at most `maxBytes`, else the
 * same `ParseError` as an oversized body on the wire), or raised as `HttpStatusError`
 * for a status the request does not accept, or as `ReplayMissError` for a replay server's miss.
 */
export function finishResponse(
  run: RequestRun,
  result: AttemptResult,
  started: number,
  maxBytes: number,
): HttpResponse {
  const { method, url, acceptStatus } = run.plan;
  throwIfReplayMiss(run, result);
  const wireUrl = redactedHref(run.plan.wireUrl);
  const encoding = result.headers['content-encoding'];
  const decode = () =>
    decodeBody(result.body, encoding, wireUrl, {
      maxBytes,
      tooLarge: () => run.tooLarge(maxBytes, result.attempt, encoding),
    });
  const isOk = result.status >= 200 && result.status < 300;
  if (!isOk && acceptStatus !== 'any') {
    // The status is the news; a body that does not decode (or decodes too large) only loses
    // the snippet.
    throw statusError(method, url.toString(), result.status, decodedOrEmpty(decode));
  }
  const decoded = decode();

  return createResponse({
    status: result.status,
    headers: result.headers,
    body: decoded,
    url: wireUrl,
    attempts: result.attempt,
    durationMs: performance.now() - started,
  });
}

function decodedOrEmpty(decode: () => Buffer): Buffer {
  try {
    return decode();
  } catch {
    // Only the error message's snippet is lost; the status error carries what matters.
    return Buffer.alloc(0);
  }
}

/**
 * @internal Raises `ReplayMissError` for a replay server's 404 that no recording answers. Called
 * on each attempt, before the breaker sees the answer: a miss says nothing about the origin, and
 * as a 404 it would count as a success and reset the origin's streak of failures.
 */
export function throwIfReplayMiss(
  run: RequestRun,
  answer: { status: number; headers: Record<string, string> },
): void {
  if (answer.status !== 404 || answer.headers[REPLAY_MISS_HEADER] !== 'miss') return;
  const { method, url } = run.plan;

  throw new ReplayMissError(`No recording answers ${run.where}; record it or fix the request`, {
    details: { method, url: redactedHref(url) },
  });
}

/** @internal What a finished attempt knows; `createResponse` adds the body helpers. */
export interface ResponseParts {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  url: string;
  attempts: number;
  durationMs: number;
}

/**
 * @internal Builds the `HttpResponse` handed to callers. A class, so `text` and `json` live on
 * the prototype instead of being two new closures per response.
 */
export function createResponse(parts: ResponseParts): HttpResponse {
  return new FlywheelResponse(parts);
}

class FlywheelResponse implements HttpResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly url: string;
  readonly attempts: number;
  readonly durationMs: number;

  constructor(parts: ResponseParts) {
    this.status = parts.status;
    this.headers = parts.headers;
    this.body = parts.body;
    this.url = parts.url;
    this.attempts = parts.attempts;
    this.durationMs = parts.durationMs;
  }

  text(): string {
    return this.body.toString('utf8');
  }

  json<T = unknown>(): T {
    const text = this.body.toString('utf8');
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      const contentType = this.headers['content-type'] ?? 'none';
      const start = text.slice(0, 80).replace(/\s+/g, ' ');
      throw new ParseError(
        `Body of ${this.url} is not valid JSON (content-type: ${contentType}, ${this.body.length} bytes); it starts with ${JSON.stringify(start)}`,
        { cause: error, details: { url: this.url, contentType, status: this.status } },
      );
    }
  }
}

/** @internal The error for a final non-accepted status, with a short body snippet. */
export function statusError(
  method: HttpMethod,
  url: string,
  status: number,
  body: Buffer,
): HttpStatusError {
  const snippet = body.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 200);
  const safeUrl = redactUrl(url);

  return new HttpStatusError(
    status,
    `${method} ${safeUrl} answered ${status}${snippet === '' ? '' : `: ${snippet}`}`,
    { isRetryable: isRetryableStatus(status), details: { method, url: safeUrl } },
  );
}
