import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';

import { parse as parseYaml } from 'yaml';

import { RecordingError, describeError } from '../errors.ts';
import type { Cassette, RecordedHeaders, RecordedInteraction } from './types.ts';

const CASSETTE_EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

const EXPECTED =
  'a Betamax JSON cassette, { "interactions": [...] } as PRAW writes it or { "http_interactions": [...] } ' +
  'as Ruby Betamax and VCR write it, or a vcrpy YAML cassette (interactions: [...]); each interaction ' +
  'is { request: { method, uri, headers, body }, response: { status: { code, message }, headers, body } }';

/**
 * Loads every `*.json`, `*.yaml` and `*.yml` cassette of a folder (not recursive, sorted by name),
 * or a single cassette file. The list of exchanges is `interactions` (PRAW's Betamax, vcrpy) or
 * `http_interactions` (Ruby Betamax and VCR). Betamax JSON bodies may be `string` or
 * `base64_string`; vcrpy YAML bodies may be strings or `!!binary`.
 *
 * Raises `RecordingError` naming the file and what was expected when a file is not a cassette,
 * and when the path is missing or holds no cassette.
 */
export async function loadCassettes(path: string): Promise<Cassette> {
  const files = await cassetteFiles(path);
  const interactions: RecordedInteraction[] = [];
  for (const file of files) interactions.push(...(await loadFile(file)));

  return { interactions, files };
}

async function cassetteFiles(path: string): Promise<string[]> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such file or folder'
        : describeError(error);
    throw new RecordingError(
      `Recording path ${path} cannot be read: ${reason}; expected a folder of cassettes or one cassette file`,
      { cause: error, details: { path } },
    );
  }
  if (!isDirectory) return [path];

  const names = (await readdir(path)).filter((name) => CASSETTE_EXTENSIONS.has(extname(name)));
  if (names.length === 0) {
    throw new RecordingError(`Folder ${path} holds no *.json, *.yaml or *.yml cassette`, {
      details: { path },
    });
  }

  return names.sort().map((name) => join(path, name));
}

async function loadFile(file: string): Promise<RecordedInteraction[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new RecordingError(`Cassette ${file} cannot be read: ${describeError(error)}`, {
      cause: error,
      details: { file },
    });
  }
  let document: unknown;
  try {
    // vcrpy writes with PyYAML, so YAML 1.1 is the dialect; it also resolves `!!binary`.
    document =
      extname(file) === '.json' ? JSON.parse(text) : parseYaml(text, { schema: 'yaml-1.1' });
  } catch (error) {
    throw new RecordingError(
      `Cassette ${file} is not valid ${extname(file).slice(1).toUpperCase()} (${describeError(error)}); expected ${EXPECTED}`,
      { cause: error, details: { file } },
    );
  }

  const list = isRecord(document)
    ? (document.interactions ?? document.http_interactions)
    : undefined;
  if (!Array.isArray(list)) {
    throw new RecordingError(
      `Cassette ${file} has no "interactions" or "http_interactions" list; expected ${EXPECTED}`,
      {
        details: { file },
      },
    );
  }
  const recordedAt = isRecord(document) ? document.recorded_at : undefined;

  return list.map((raw, index) =>
    toInteraction(raw, `${basename(file)} interaction ${index}`, file, recordedAt),
  );
}

function toInteraction(
  raw: unknown,
  where: string,
  file: string,
  fallbackRecordedAt: unknown,
): RecordedInteraction {
  const fail = (what: string, value: unknown): never => {
    throw new RecordingError(`${where} in ${file}: ${what}, got ${preview(value)}`, {
      details: { file },
    });
  };
  if (!isRecord(raw)) return fail('expected an object with request and response', raw);
  const { request, response } = raw;
  if (!isRecord(request)) return fail('expected a "request" object', request);
  if (!isRecord(response)) return fail('expected a "response" object', response);

  const method = request.method;
  if (typeof method !== 'string' || method === '') return fail('expected request.method', method);
  const uri = request.uri;
  if (typeof uri !== 'string' || !URL.canParse(uri)) {
    return fail('expected request.uri to be an absolute URL', uri);
  }
  const status = isRecord(response.status) ? response.status : undefined;
  const code = typeof status?.code === 'string' ? Number(status.code) : status?.code;
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 100 || code > 599) {
    return fail('expected response.status.code to be an HTTP status', response.status);
  }

  const responseBody = toBody(response.body);
  if (responseBody === undefined) {
    return fail('expected response.body as { string } or { base64_string }', response.body);
  }
  const requestBody = request.body === null ? undefined : toBody(request.body);
  const recordedAt = raw.recorded_at ?? fallbackRecordedAt;

  return {
    request: {
      method: method.toUpperCase(),
      uri,
      headers: toHeaders(request.headers),
      body: requestBody === undefined ? null : requestBody.bytes.toString('utf8'),
    },
    response: {
      status: code,
      message: typeof status?.message === 'string' ? status.message : '',
      headers: toHeaders(response.headers),
      body: responseBody.bytes,
      isBodyText: responseBody.isText,
    },
    file,
    recordedAt: typeof recordedAt === 'string' ? recordedAt : null,
  };
}

/** Reads a recorded body; `undefined` when the shape is unknown. A missing body is empty. */
function toBody(raw: unknown): { bytes: Buffer; isText: boolean } | undefined {
  if (raw === null || raw === undefined) return { bytes: Buffer.alloc(0), isText: true };
  if (typeof raw === 'string') return { bytes: Buffer.from(raw, 'utf8'), isText: true };
  if (raw instanceof Uint8Array) return { bytes: Buffer.from(raw), isText: false };
  if (!isRecord(raw)) return undefined;

  if (typeof raw.base64_string === 'string') {
    return { bytes: Buffer.from(raw.base64_string, 'base64'), isText: false };
  }
  if (raw.string instanceof Uint8Array) return { bytes: Buffer.from(raw.string), isText: false };
  if (typeof raw.string === 'string')
    return { bytes: Buffer.from(raw.string, 'utf8'), isText: true };
  if (raw.string === null || raw.string === undefined)
    return { bytes: Buffer.alloc(0), isText: true };

  return undefined;
}

function toHeaders(raw: unknown): RecordedHeaders {
  const headers: RecordedHeaders = {};
  if (!isRecord(raw)) return headers;
  for (const [name, value] of Object.entries(raw)) {
    const values = Array.isArray(value) ? value : [value];
    headers[name] = values.filter((item) => item !== null && item !== undefined).map(String);
  }

  return headers;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function preview(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? typeof value;

  return text.length > 60 ? `${text.slice(0, 60)}...` : text;
}
