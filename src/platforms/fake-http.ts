/**
 * A tiny in-memory HttpClient for adapter unit tests: it builds URLs exactly as the HttpClient
 * contract says, records every call and answers from a handler. Not exported from the index.
 * @internal
 */
import { HttpStatusError, ParseError } from '../errors.ts';
import type { HttpClient, HttpRequestOptions, HttpResponse, QueryValue } from '../http/types.ts';
import { emptyHttpStats } from '../http/stats.ts';
import { silentLogger } from '../observe/logger.ts';
import type { AdapterContext } from './types.ts';

/** One request the fake client saw. */
export interface FakeCall {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | undefined;
  options: HttpRequestOptions;
}

/** What a handler answers; `body` objects are serialised as JSON. */
export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** Answers one call, or `undefined` for a 404. */
export type FakeHandler = (call: FakeCall) => FakeReply | undefined;

/** The fake client plus the calls it recorded. */
export interface FakeHttp extends HttpClient {
  calls: FakeCall[];
}

/** Appends a query as the HttpClient contract does: insertion order, arrays repeat the key. */
export function appendQuery(url: string, query: Record<string, QueryValue> | undefined): URL {
  const target = new URL(url);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? (value as readonly string[]) : [String(value)];
    for (const item of values) target.searchParams.append(key, item);
  }

  return target;
}

function toResponse(call: FakeCall, reply: FakeReply): HttpResponse {
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  const isJsonBody = typeof reply.body !== 'string';
  const headers = {
    'content-type': isJsonBody ? 'application/json; charset=utf-8' : 'text/html',
    ...reply.headers,
  };

  return {
    status: reply.status ?? 200,
    headers,
    body: Buffer.from(text),
    url: call.url.toString(),
    attempts: 1,
    durationMs: 0,
    text: () => text,
    json: <T>() => {
      try {
        return JSON.parse(text) as T;
      } catch (error) {
        throw new ParseError(`response of ${call.url.pathname} is not JSON`, { cause: error });
      }
    },
  };
}

/** Creates a fake client answering from `handler`. */
export function createFakeHttp(handler: FakeHandler): FakeHttp {
  const calls: FakeCall[] = [];
  const stats = emptyHttpStats();

  return {
    calls,
    request(url: string, options: HttpRequestOptions = {}): Promise<HttpResponse> {
      const call: FakeCall = {
        method: options.method ?? 'GET',
        url: appendQuery(url, options.query),
        headers: options.headers ?? {},
        body: options.body,
        options,
      };
      calls.push(call);
      const reply = handler(call) ?? { status: 404, body: 'not found' };
      const response = toResponse(call, reply);
      const isOk = response.status >= 200 && response.status < 300;
      if (!isOk && options.acceptStatus !== 'any') {
        const snippet = response.text().slice(0, 200);
        return Promise.reject(
          new HttpStatusError(
            response.status,
            `HTTP ${response.status} for ${call.method} ${call.url.pathname}: ${snippet}`,
            { isRetryable: response.status >= 500 || response.status === 429 },
          ),
        );
      }

      return Promise.resolve(response);
    },
    stats: () => ({ ...stats, requests: calls.length }),
    close: () => Promise.resolve(),
  };
}

/** An adapter context around a client, with a fixed clock. */
export function fakeContext(
  http: HttpClient,
  now = new Date('2026-01-01T00:00:00Z'),
): AdapterContext {
  return { http, signal: new AbortController().signal, logger: silentLogger, now: () => now };
}
