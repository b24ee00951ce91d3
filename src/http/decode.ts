import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

import { ParseError } from '../errors.ts';

/**
 * @internal Undoes `content-encoding` (gzip, deflate, br, or a comma list of them, applied in
 * order, so undone in reverse). Identity and unknown-but-empty bodies pass through.
 * Raises `ParseError` naming the URL and the encoding when the bytes do not decode.
 */
export function decodeBody(body: Buffer, contentEncoding: string | undefined, url: string): Buffer {
  if (contentEncoding === undefined || body.length === 0) return body;
  const codings = contentEncoding
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity')
    .reverse();

  let bytes = body;
  for (const coding of codings) {
    try {
      bytes = decodeOne(bytes, coding);
    } catch (error) {
      throw new ParseError(
        `Body of ${url} does not decode as content-encoding "${coding}" (${bytes.length} bytes)`,
        { cause: error, details: { url, contentEncoding } },
      );
    }
  }

  return bytes;
}

function decodeOne(bytes: Buffer, coding: string): Buffer {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(bytes);
    case 'br':
      return brotliDecompressSync(bytes);
    case 'deflate':
      // RFC 9110 says zlib-wrapped, but some servers send raw deflate; a zlib stream starts with
      // a CMF byte whose low nibble is 8.
      return (bytes[0]! & 0x0f) === 8 ? inflateSync(bytes) : inflateRawSync(bytes);
    default:
      throw new Error(`unsupported content-encoding "${coding}"`);
  }
}
