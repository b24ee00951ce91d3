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

/** @internal Builds the `HttpResponse` handed to callers. */
export function createResponse(parts: ResponseParts): HttpResponse {
  return {
    ...parts,
    text: () => parts.body.toString('utf8'),
    json: <T>() => parseJson<T>(parts),
  };
}

function parseJson<T>(parts: ResponseParts): T {
  const text = parts.body.toString('utf8');
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    const contentType = parts.headers['content-type'] ?? 'none';
    const start = text.slice(0, 80).replace(/\s+/g, ' ');
    throw new ParseError(
      `Body of ${parts.url} is not valid JSON (content-type: ${contentType}, ${parts.body.length} bytes); it starts with ${JSON.stringify(start)}`,
      { cause: error, details: { url: parts.url, contentType, status: parts.status } },
    );
  }
}

/** @internal Joins undici's header record: lower-case names, repeats joined by ", ", no set-cookie. */
export function flattenHeaders(
  raw: Record<string, string | string[] | undefined>,
  keepSetCookie = false,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const lower = name.toLowerCase();
    if (value === undefined || (lower === 'set-cookie' && !keepSetCookie)) continue;
    headers[lower] = Array.isArray(value) ? value.join(', ') : value;
  }

  return headers;
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
