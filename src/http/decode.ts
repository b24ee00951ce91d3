import { constants as bufferConstants } from 'node:buffer';
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

import { ParseError } from '../errors.ts';

/** @internal How large a decoded body may grow, and the error past that size. */
export interface DecodeLimit {
  /** Largest decoded body accepted, bytes (the client's `maxResponseBytes`). */
  maxBytes: number;
  /** The same error an oversized body on the wire raises. */
  tooLarge: () => Error;
}

/**
 * @internal Undoes `content-encoding` (gzip, deflate, br, or a comma list of them, applied in
 * order, so undone in reverse). Identity and unknown-but-empty bodies pass through.
 *
 * Every step stops at `limit.maxBytes` of output: the wire limit alone lets a few hundred
 * kilobytes of gzipped zeros grow into hundreds of megabytes in memory (a "zip bomb").
 *
 * Raises `limit.tooLarge()` when a step's output passes the limit, and `ParseError` naming the
 * URL and the encoding when the bytes do not decode.
 */
export function decodeBody(
  body: Buffer,
  contentEncoding: string | undefined,
  url: string,
  limit: DecodeLimit,
): Buffer {
  if (contentEncoding === undefined || body.length === 0) return body;
  const codings = contentEncoding
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity')
    .reverse();
  // zlib refuses a maxOutputLength above the largest Buffer (ERR_OUT_OF_RANGE).
  const maxOutputLength = Math.max(1, Math.min(limit.maxBytes, bufferConstants.MAX_LENGTH));

  let bytes = body;
  for (const coding of codings) {
    try {
      bytes = decodeOne(bytes, coding, maxOutputLength);
    } catch (error) {
      if (isOutputTooLarge(error)) throw limit.tooLarge();
      throw new ParseError(
        `Body of ${url} does not decode as content-encoding "${coding}" (${bytes.length} bytes)`,
        { cause: error, details: { url, contentEncoding } },
      );
    }
  }

  return bytes;
}

function decodeOne(bytes: Buffer, coding: string, maxOutputLength: number): Buffer {
  const options = { maxOutputLength };
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(bytes, options);
    case 'br':
      return brotliDecompressSync(bytes, options);
    case 'deflate':
      // RFC 9110 says zlib-wrapped, but some servers send raw deflate; a zlib stream starts with
      // a CMF byte whose low nibble is 8.
      return (bytes[0]! & 0x0f) === 8
        ? inflateSync(bytes, options)
        : inflateRawSync(bytes, options);
    default:
      throw new Error(`unsupported content-encoding "${coding}"`);
  }
}

/**
 * zlib's sync functions raise `RangeError` with code ERR_BUFFER_TOO_LARGE past `maxOutputLength`
 * (Node 20 and 24). Any other RangeError from a decoder is a size limit too ("Array buffer
 * allocation failed", "Invalid typed array length" on a machine short of memory): the options
 * are fixed above, so none can come from a bad argument.
 */
function isOutputTooLarge(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;

  return code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
}
