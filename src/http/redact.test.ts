import { describe, expect, it } from 'vitest';

import { redactUrl } from './redact.ts';

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
});
