/**
 * Strict-but-forgiving readers for platform JSON. Every failure raises a `ParseError` that names
 * the platform, the account (or "lookup"), the URL path and what was expected versus found,
 * e.g. `reddit r/askreddit page (/r/askreddit/new): expected data.children to be an array, got string`.
 * @internal
 */
import { ParseError, isParseError } from '../errors.ts';
import type { HttpResponse } from '../http/types.ts';
import type { PlatformName } from './types.ts';

export type JsonRecord = Record<string, unknown>;

/** Names a JSON value's type the way error messages talk about it. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';

  return typeof value;
}

/** Whether a value is a plain JSON object. */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The path of a URL without origin or query, for error messages (queries can hold keys). */
export function urlPath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    // A relative or broken URL still deserves a message; show it without its query.
    return url.split('?')[0] ?? url;
  }
}

/** Where a parse happens: one page or lookup of one platform, for error messages. */
export class ParseScope {
  readonly platform: PlatformName;
  readonly subject: string;
  readonly path: string;

  /** `subject` is e.g. `r/askreddit page` or `lookup`; `url` is the requested URL. */
  constructor(platform: PlatformName, subject: string, url: string) {
    this.platform = platform;
    this.subject = subject;
    this.path = urlPath(url);
  }

  /** Builds the error for `field` being `found` where `expected` was wanted. */
  error(field: string, expected: string, found: unknown): ParseError {
    const foundText =
      typeof found === 'string' && found.startsWith('<') ? found : describeType(found);
    return new ParseError(
      `${this.platform} ${this.subject} (${this.path}): expected ${field} to be ${expected}, got ${foundText}`,
      { details: { platform: this.platform, subject: this.subject, path: this.path, field } },
    );
  }

  /** Parses the body as JSON; a non-JSON body (an HTML error page) becomes a scoped ParseError. */
  json(res: HttpResponse): unknown {
    try {
      return res.json();
    } catch (error) {
      if (!isParseError(error)) throw error;
      const type = res.headers['content-type'] ?? 'no content-type';
      // A JSON content type with a body that does not parse is a cut-off or corrupted answer;
      // anything else is usually an error page served in place of the API.
      const found = /\bjson\b/i.test(type)
        ? `${res.body.length} bytes of ${type} that do not parse (truncated or corrupted)`
        : type;
      throw new ParseError(
        `${this.platform} ${this.subject} (${this.path}): expected a JSON body, got ${found}`,
        {
          cause: error,
          details: { platform: this.platform, subject: this.subject, path: this.path },
        },
      );
    }
  }

  /** Asserts an object. */
  record(value: unknown, field: string): JsonRecord {
    if (!isRecord(value)) throw this.error(field, 'an object', value);
    return value;
  }

  /** Asserts an array. */
  array(value: unknown, field: string): unknown[] {
    if (!Array.isArray(value)) throw this.error(field, 'an array', value);
    return value;
  }

  /** Asserts a non-empty string. */
  string(value: unknown, field: string): string {
    if (typeof value !== 'string' || value === '')
      throw this.error(field, 'a non-empty string', value);
    return value;
  }

  /** Asserts a non-empty string or a finite number (ids), returned as a string. */
  id(value: unknown, field: string): string {
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    return this.string(value, field);
  }

  /** Asserts a parseable date (ISO string or epoch seconds) and returns it as ISO 8601. */
  time(value: unknown, field: string): string {
    const ms =
      typeof value === 'number' && Number.isFinite(value)
        ? value * 1000
        : typeof value === 'string'
          ? Date.parse(value)
          : Number.NaN;
    if (!Number.isFinite(ms)) throw this.error(field, 'a timestamp', value);

    return new Date(ms).toISOString();
  }
}

/** A string field or a fallback, for optional text. */
export function optionalString(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

/** Splits ids into request-sized batches, keeping order. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    batches.push(items.slice(start, start + size));
  }

  return batches;
}

/** The page size to ask for: the account's, else the platform's, else the default, within max. */
export function resolvePageSize(
  accountSize: number | undefined,
  platformSize: number | undefined,
  fallback: number,
  max: number,
): number {
  return Math.max(1, Math.min(max, accountSize ?? platformSize ?? fallback));
}
