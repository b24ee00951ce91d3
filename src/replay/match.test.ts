import { describe, expect, it } from 'vitest';

import { createMatcher } from './match.ts';
import type { RecordedInteraction } from './types.ts';

function recording(method: string, uri: string, body: string): RecordedInteraction {
  return {
    request: { method, uri, headers: {}, body: null },
    response: {
      status: 200,
      message: 'OK',
      headers: {},
      body: Buffer.from(body),
      isBodyText: true,
    },
    file: 'test.json',
    recordedAt: null,
  };
}

const answer = (found: RecordedInteraction | undefined): string | undefined =>
  found?.response.body.toString();

describe('createMatcher', () => {
  it('prefers the recording with the most matching parameters', () => {
    const matcher = createMatcher([
      recording('GET', 'https://x.test/user/spez/?limit=5&sort=top', 'page 1'),
      recording('GET', 'https://x.test/user/spez/?limit=5&sort=top&after=t1_a', 'page 2'),
    ]);

    expect(answer(matcher.match('GET', '/user/spez?sort=top&after=t1_a&limit=5'))).toBe('page 2');
    expect(answer(matcher.match('GET', '/user/spez/?sort=top&limit=5&extra=1'))).toBe('page 1');
    expect(matcher.match('GET', '/user/spez?sort=new&limit=5')).toBeUndefined();
    expect(matcher.match('POST', '/user/spez?sort=top&limit=5')).toBeUndefined();
  });

  it('replays identical requests in recorded order, repeating the last', () => {
    const matcher = createMatcher([
      recording('POST', 'https://x.test/statuses', 'one'),
      recording('POST', 'https://x.test/statuses', 'two'),
    ]);

    expect(answer(matcher.match('POST', '/statuses'))).toBe('one');
    expect(answer(matcher.match('POST', '/statuses'))).toBe('two');
    expect(answer(matcher.match('POST', '/statuses'))).toBe('two');
  });

  it('compares decoded values, repeated keys in any order, placeholders as wildcards', () => {
    const matcher = createMatcher([
      recording('GET', 'https://x.test/s?id%5B%5D=1&id%5B%5D=2&q=a%20b', 'ids'),
      recording('GET', 'https://x.test/v?key=%3CREDACTED%3E&id=9', 'video'),
    ]);

    expect(answer(matcher.match('GET', '/s?q=a+b&id[]=2&id[]=1'))).toBe('ids');
    expect(matcher.match('GET', '/s?q=a+b&id[]=2')).toBeUndefined();
    expect(answer(matcher.match('GET', '/v?id=9&key=real-secret'))).toBe('video');
    expect(matcher.match('GET', '/v?id=9')).toBeUndefined();
  });
});
