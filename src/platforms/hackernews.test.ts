import { beforeAll, describe, expect, it } from 'vitest';
import { createFakeHttp, fakeContext } from './fake-http.ts';
import type { FakeCall } from './fake-http.ts';
import { createHackernewsAdapter } from './hackernews.ts';
import { hasData, readJson, SKIP_NOTE } from './test-data.ts';
import type { AccountSpec } from './types.ts';

const account: AccountSpec = { platform: 'hackernews', id: 'pg', pageSize: 2 };

describe.skipIf(!hasData)(`hackernews adapter on recorded items${SKIP_NOTE}`, () => {
  // Read in beforeAll, not in the describe body: vitest runs describe bodies while collecting,
  // even for a skipped suite, and the recordings are absent in a fresh clone.
  let items: Record<string, unknown> = {};
  beforeAll(() => {
    items = {
      '8863': readJson('hackernews/hn-api-readme-examples/item_8863.json'),
      '2921983': readJson('hackernews/hn-api-readme-examples/item_2921983.json'),
      '126809': readJson('hackernews/hn-api-readme-examples/item_126809.json'),
      '160705': readJson('hackernews/hn-api-readme-examples/item_160705.json'),
      '5': { id: 5, deleted: true, type: 'comment', time: 1 },
      '6': { id: 6, dead: true, type: 'story', time: 1 },
    };
  });
  const serve = (call: FakeCall) => {
    if (call.url.pathname === '/v0/user/pg.json')
      return { body: { id: 'pg', submitted: [8863, 5, 2921983, 6, 126809, 160705, 7] } };
    const id = /\/item\/(\d+)\.json$/.exec(call.url.pathname)?.[1] ?? '';
    return { body: items[id] ?? null };
  };

  it('pages submissions by offset, skipping deleted, dead, missing and poll-option items', async () => {
    const http = createFakeHttp(serve);
    const adapter = createHackernewsAdapter();
    const pages = [];
    let cursor: string | null = null;
    do {
      const page = await adapter.fetchPage(account, cursor, fakeContext(http));
      pages.push(page);
      cursor = page.next;
    } while (cursor !== null);

    expect(pages.map((page) => page.next)).toEqual(['2', '4', '6', null]);
    expect(pages.map((page) => page.posts.map((post) => post.postId))).toEqual([
      ['8863'],
      ['2921983'],
      ['126809'],
      [],
    ]);
    expect(http.calls.filter((call) => call.url.pathname.startsWith('/v0/user/'))).toHaveLength(1);
    expect(pages[0]?.posts[0]).toEqual({
      platform: 'hackernews',
      postId: '8863',
      account: 'pg',
      url: 'https://news.ycombinator.com/item?id=8863',
      createdAt: '2007-04-04T19:16:40.000Z',
      text: 'My YC app: Dropbox - Throw away your USB drive',
      kind: 'original',
      mediaKind: 'link',
      hashtags: [],
      counts: { views: null, likes: null, replies: 71, reposts: null, quotes: null, score: 111 },
      observedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(pages[1]?.posts[0]).toMatchObject({
      kind: 'reply',
      text: "Aw shucks, guys ... you make me blush with your compliments.\n\nTell you what, Ill make a deal: I'll keep writing if you keep reading. K?",
      counts: { score: null, replies: null },
    });
    expect(pages[2]?.posts[0]).toMatchObject({
      mediaKind: 'poll',
      counts: { score: 46, replies: 54 },
    });
  });

  it('looks items up one request each', async () => {
    const http = createFakeHttp(serve);

    const posts = await createHackernewsAdapter().lookup(
      ['8863', '2921983', '999'],
      fakeContext(http),
    );

    expect(http.calls).toHaveLength(3);
    expect(posts.map((post) => [post.postId, post.account])).toEqual([
      ['8863', 'dhouston'],
      ['2921983', 'norvig'],
    ]);
  });
});

describe('hackernews adapter', () => {
  it('fails on an unknown user, a bad cursor and an item without time', async () => {
    const adapter = createHackernewsAdapter({ baseUrl: 'http://sim.test/hackernews' });
    const unknown = createFakeHttp(() => ({ body: null }));
    const noTime = createFakeHttp((call) =>
      call.url.pathname.includes('/user/')
        ? { body: { submitted: [1] } }
        : { body: { id: 1, type: 'story' } },
    );

    await expect(adapter.fetchPage(account, null, fakeContext(unknown))).rejects.toThrow(
      'hackernews pg page (/hackernews/user/pg.json): expected the body to be a user object (is the user name right?), got null',
    );
    await expect(adapter.fetchPage(account, 'abc', fakeContext(unknown))).rejects.toThrow(
      'expected the cursor to be a non-negative integer offset, got string',
    );
    await expect(adapter.fetchPage(account, null, fakeContext(noTime))).rejects.toThrow(
      'hackernews pg page (/hackernews/item/1.json): expected item 1.time to be a timestamp, got undefined',
    );
  });

  it('names /maxitem.json as health URL', () => {
    expect(createHackernewsAdapter().healthUrl()).toBe(
      'https://hacker-news.firebaseio.com/v0/maxitem.json',
    );
  });
});
