import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { OutputError, describeError } from '../errors.ts';
import { SECRET_QUERY_KEYS, redactUrl } from '../http/index.ts';
import type { RecordedExchange } from '../http/index.ts';
import type { CassetteRecorder } from './types.ts';

/** What secrets are replaced with; the replay matcher treats it as "any value". */
export const REDACTED = '<REDACTED>';

const SECRET_HEADERS = new Set(['authorization', 'cookie', 'x-api-key', 'proxy-authorization']);
const SECRET_FORM_KEYS = new Set([...SECRET_QUERY_KEYS, 'password']);
const SECRET_JSON_KEYS = ['access_token', 'refresh_token', 'id_token'];

/**
 * Creates the recorder to pass as `createHttpClient({ recorder })`. It buffers exchanges;
 * `flush()` writes them as one Betamax JSON cassette `flywheel-<timestamp>.json` in `dir`.
 * Secret headers, query values, form fields and top-level JSON tokens become `<REDACTED>`.
 *
 * Raises (from `flush`): `OutputError` when the file cannot be written.
 */
export function createRecorder(dir: string): CassetteRecorder {
  let buffered: unknown[] = [];

  return {
    get size() {
      return buffered.length;
    },
    record(exchange) {
      buffered.push(toBetamax(exchange));
    },
    async flush() {
      if (buffered.length === 0) return null;
      const interactions = buffered;
      buffered = [];
      const document = { interactions, recorded_with: 'flywheel', version: 1 };

      return writeCassette(dir, `${JSON.stringify(document, null, 2)}\n`);
    },
  };
}

async function writeCassette(dir: string, text: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  try {
    await mkdir(dir, { recursive: true });
    for (let attempt = 1; ; attempt++) {
      const path = join(dir, `flywheel-${stamp}${attempt === 1 ? '' : `-${attempt}`}.json`);
      try {
        await writeFile(path, text, { flag: 'wx' });
        return path;
      } catch (error) {
        // Two flushes in one millisecond: take the next free suffix rather than overwrite.
        if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
      }
    }
  } catch (error) {
    throw new OutputError(`Cannot write a cassette in ${dir}: ${describeError(error)}`, {
      cause: error,
      details: { dir },
    });
  }
}

function toBetamax(exchange: RecordedExchange): unknown {
  const uri = redactUrl(exchange.url, REDACTED, [...SECRET_QUERY_KEYS]);
  const requestHeaders = Object.fromEntries(
    Object.entries(exchange.requestHeaders).map(([name, value]) => [
      name,
      [SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : value],
    ]),
  );
  const responseHeaders = Object.fromEntries(
    Object.entries(exchange.responseHeaders).map(([name, value]) => [name, [value]]),
  );
  const isEncoded = (exchange.responseHeaders['content-encoding'] ?? 'identity') !== 'identity';
  const text = isEncoded ? undefined : utf8(exchange.responseBody);

  return {
    request: {
      method: exchange.method,
      uri,
      headers: requestHeaders,
      body: { encoding: 'utf-8', string: redactForm(exchange.requestBody ?? '') },
    },
    response: {
      status: { code: exchange.status, message: exchange.statusMessage },
      headers: responseHeaders,
      body:
        text === undefined
          ? { base64_string: exchange.responseBody.toString('base64') }
          : { encoding: 'utf-8', string: redactJson(text) },
      url: uri,
    },
    recorded_at: exchange.recordedAt,
  };
}

function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Not UTF-8: the caller stores it as base64 instead.
    return undefined;
  }
}

/** Redacts secret fields of a form-encoded body; other bodies are kept as they are. */
function redactForm(body: string): string {
  if (!/^[\w.%+-]+=[^&]*(&[\w.%+-]+=[^&]*)*$/.test(body)) return body;
  const params = new URLSearchParams(body);
  if (![...params.keys()].some((key) => SECRET_FORM_KEYS.has(key))) return body;

  return [...params]
    .map(([key, value]) =>
      SECRET_FORM_KEYS.has(key)
        ? `${encodeURIComponent(key)}=${REDACTED}`
        : `${encodeURIComponent(key)}=${encodeURIComponent(value)}`,
    )
    .join('&');
}

/** Token responses (OAuth) carry live credentials; other bodies are kept byte for byte. */
function redactJson(text: string): string {
  if (!SECRET_JSON_KEYS.some((key) => text.includes(`"${key}"`))) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON after all; nothing structured to redact.
    return text;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return text;
  const record = parsed as Record<string, unknown>;
  for (const key of SECRET_JSON_KEYS) if (typeof record[key] === 'string') record[key] = REDACTED;

  return JSON.stringify(record);
}
