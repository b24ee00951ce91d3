import { describe, expect, it } from 'vitest';
import { findLink, parseLinkHeader } from './link-header.ts';
import { hashtagsInText, htmlToText } from './text.ts';

describe('htmlToText', () => {
  it('turns paragraphs and breaks into lines and decodes entities once', () => {
    expect(
      htmlToText('<p>Hello &amp; welcome</p><p>line<br>two &#39;x&#39; &#x41; &amp;lt;</p>'),
    ).toBe("Hello & welcome\n\nline\ntwo 'x' A &lt;");
  });

  it('drops tags, including links around hashtags', () => {
    const html =
      '<p><a href="https://x.test/tags/Cats" class="mention hashtag">#<span>Cats</span></a> rule</p>';
    expect(htmlToText(html)).toBe('#Cats rule');
  });
});

describe('hashtagsInText', () => {
  it('finds lower-cased unique tags and ignores numbers and anchors', () => {
    expect(hashtagsInText('#Cats and #dogs, #cats again, issue #12, a.b/#frag, #café')).toEqual([
      'cats',
      'dogs',
      'café',
    ]);
  });
});

describe('parseLinkHeader', () => {
  it('parses Mastodon pagination links', () => {
    const header =
      '<https://m.test/api/v1/accounts/1/statuses?limit=5&max_id=9>; rel="next", <https://m.test/api/v1/accounts/1/statuses?limit=5&min_id=20>; rel="prev"';
    expect(parseLinkHeader(header)).toEqual([
      { url: 'https://m.test/api/v1/accounts/1/statuses?limit=5&max_id=9', rels: ['next'] },
      { url: 'https://m.test/api/v1/accounts/1/statuses?limit=5&min_id=20', rels: ['prev'] },
    ]);
  });

  it('handles unquoted, multi-valued, upper-case rels and commas in targets', () => {
    const header =
      '<https://a.test/x?a=1,2>; REL=next; title="a, b", <https://a.test/y>; rel="prev first"';
    expect(findLink(header, 'next')).toBe('https://a.test/x?a=1,2');
    expect(findLink(header, 'first')).toBe('https://a.test/y');
    expect(findLink(header, 'last')).toBeNull();
    expect(findLink(undefined, 'next')).toBeNull();
    expect(findLink('garbage', 'next')).toBeNull();
  });
});
