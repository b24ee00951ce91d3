import { describe, expect, it } from 'vitest';

import { redactUrl, redactUrlsReplacer } from './redact.ts';

describe('redactUrl', () => {
  it('hides secret query values and user info', () => {
    expect(redactUrl('https://u:p@api.test/v?key=abc&part=snippet&Token=t#f')).toBe(
      'https://api.test/v?key=***&part=snippet&Token=***#f',
    );
  });

  it('keeps a readable custom placeholder', () => {
    expect(redactUrl('https://api.test/v?client_secret=s&a=b%20c', '<REDACTED>')).toBe(
      'https://api.test/v?client_secret=<REDACTED>&a=b%20c',
    );
  });

  it('leaves URLs without secrets and unparseable input unchanged', () => {
    expect(redactUrl('https://api.test/v?a=1')).toBe('https://api.test/v?a=1');
    expect(redactUrl('not a url')).toBe('not a url');
  });

  it('keeps the scheme and host of URLs whose origin is opaque (redis:, postgres:)', () => {
    expect(redactUrl('postgres://u:p@db.test:5432/app?token=t&sslmode=require')).toBe(
      'postgres://db.test:5432/app?token=***&sslmode=require',
    );
    expect(redactUrl('redis://:p@cache.test:6379/0?key=k')).toBe(
      'redis://cache.test:6379/0?key=***',
    );
  });
});

describe('redactUrlsReplacer', () => {
  it('redacts every URL in a document, ?password= included, and nothing else', () => {
    const config = {
      services: [{ healthUrl: 'http://ops:pw@a.test/h?token=t', note: 'token=t' }],
      sql: 'postgres://u@db.test/app?password=pw',
      port: 5432,
    };

    expect(JSON.parse(JSON.stringify(config, redactUrlsReplacer))).toEqual({
      services: [{ healthUrl: 'http://a.test/h?token=***', note: 'token=t' }],
      sql: 'postgres://db.test/app?password=***',
      port: 5432,
    });
  });
});
