import { HttpStatusError, ParseError } from '../errors.ts';
import { redactUrl } from './redact.ts';
import { isRetryableStatus } from './retry.ts';
import type { HttpMethod, HttpResponse } from './types.ts';

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
