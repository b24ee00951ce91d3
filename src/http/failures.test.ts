import { describe, expect, it } from 'vitest';

import {
  isConfigError,
  isNetworkError,
  isParseError,
  isTimeoutError,
  type FlywheelError,
} from '../errors.ts';
import { breakerVerdict } from './breaker.ts';
import { classifyFailure, type FailedRequest } from './failures.ts';
import { isRetryableFailure } from './retry.ts';

const url = new URL('https://user:hunter22@api.example/v1?token=tok-123456&q=1');

function request(headers: Record<string, string> = {}): FailedRequest {
  return {
    where: 'GET https://api.example/v1?token=***&q=1',
    url,
    wireUrl: url,
    headers: { 'user-agent': 'flywheel/0.1', ...headers },
    attempt: 1,
  };
}

function coded(code: string, message = `failed with ${code}`, kind = Error): Error {
  return Object.assign(new kind(message), { code });
}

function classify(error: unknown, headers?: Record<string, string>): FlywheelError {
  return classifyFailure(error, request(headers));
}

describe('classifyFailure', () => {
  it.each([
    'UND_ERR_SOCKET',
    'UND_ERR_CLOSED',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'ETIMEDOUT',
    'ENOTFOUND',
    'EAI_AGAIN',
    'HPE_INVALID_CONSTANT',
  ])('makes %s a retryable NetworkError that the breaker counts', (code) => {
    const error = classify(coded(code));

    expect(isNetworkError(error)).toBe(true);
    expect(error.isRetryable).toBe(true);
    expect(error.details.code).toBe(code);
    expect(breakerVerdict({ error })).toBe('failure');
  });

  it.each(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])(
    'makes %s a retryable TimeoutError that the breaker counts',
    (code) => {
      const error = classify(coded(code));

      expect(isTimeoutError(error)).toBe(true);
      expect(error.isRetryable).toBe(true);
      expect(breakerVerdict({ error })).toBe('failure');
    },
  );

  it.each([
    ['InvalidArgumentError', coded('UND_ERR_INVALID_ARG', 'invalid request method')],
    ['NotSupportedError', coded('UND_ERR_NOT_SUPPORTED', 'not supported')],
    ['a plain TypeError', new TypeError('headers must be an object')],
    ['ERR_INVALID_ARG_TYPE', coded('ERR_INVALID_ARG_TYPE', 'bad type', TypeError)],
    ['ERR_INVALID_URL', coded('ERR_INVALID_URL', 'Invalid URL')],
  ])('makes %s a ConfigError that is neither retried nor counted', (_name, cause) => {
    const error = classify(cause);

    expect(isConfigError(error)).toBe(true);
    expect(error.isRetryable).toBe(false);
    expect(isRetryableFailure(error, true)).toBe(false);
    expect(breakerVerdict({ error })).toBe('neutral');
    expect(error.message).toBe(
      `GET https://api.example/v1?token=***&q=1 was not sent: the request is invalid (${cause.message})`,
    );
  });

  it('names a header whose value has a line break, without its value', () => {
    const error = classify(coded('UND_ERR_INVALID_ARG', 'invalid authorization header'), {
      authorization: 'Bearer s3cret-token\n',
    });

    expect(isConfigError(error)).toBe(true);
    expect(error.message).toBe(
      'GET https://api.example/v1?token=***&q=1 was not sent: the value of header "authorization" contains a line break (a token read from a file with its trailing newline? trim it)',
    );
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('s3cret');
  });

  it('names a header name that is not a token', () => {
    const error = classify(coded('UND_ERR_INVALID_ARG', 'invalid header key'), { 'x y': '1' });

    expect(error.message).toContain('header name "x y" is not a valid HTTP token');
  });

  it('takes header values and URL credentials out of a message, and drops that cause', () => {
    const raw = `refused Bearer s3cret-token at ${url.href} (hunter22, tok-123456)`;
    const error = classify(coded('ERR_SOMETHING_ODD', raw), {
      authorization: 'Bearer s3cret-token',
    });

    expect(error.message).toBe(
      'GET https://api.example/v1?token=***&q=1 failed: refused *** at https://api.example/v1?token=***&q=1 (***, ***)',
    );
    expect(error.cause).toBeUndefined();
  });

  it('makes headers or a body past undici limits a ParseError, not retried, not counted', () => {
    const error = classify(coded('UND_ERR_HEADERS_OVERFLOW', 'Headers Overflow Error'));

    expect(isParseError(error)).toBe(true);
    expect(error.isRetryable).toBe(false);
    expect(breakerVerdict({ error })).toBe('neutral');
  });

  it('counts but does not retry an unknown connection failure (a refused certificate)', () => {
    const error = classify(coded('CERT_HAS_EXPIRED', 'certificate has expired'));

    expect(isNetworkError(error)).toBe(true);
    expect(error.isRetryable).toBe(false);
    expect(breakerVerdict({ error })).toBe('failure');
  });

  it('lets a POST retry only failures where nothing was sent', () => {
    for (const code of ['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN']) {
      expect(isRetryableFailure(classify(coded(code)), false)).toBe(true);
    }
    for (const code of ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']) {
      expect(isRetryableFailure(classify(coded(code)), false)).toBe(false);
    }
  });
});
