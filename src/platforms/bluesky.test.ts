import { describe, expect, it } from 'vitest';
import { isParseError } from '../errors.ts';
import { createBlueskyAdapter } from './bluesky.ts';
import { createFakeHttp, fakeContext } from './fake-http.ts';
import { hasData, readJson, SKIP_NOTE } from './test-data.ts';
import type { AccountSpec } from './types.ts';

const account: AccountSpec = { platform: 'bluesky', id: 'test.marshal.dev' };

function postView(uri: string, extra: Record<string, unknown> = {}) {
  return {
    uri,
    cid: 'bafy',
    author: { did: 'did:plc:abc', handle: 'alice.test' },
    record: {
      $type: 'app.bsky.feed.post',
      text: `post ${uri}`,
      createdAt: '2025-12-31T10:00:00.000Z',
    },
    replyCount: 1,
    repostCount: 2,
    likeCount: 3,
    quoteCount: 4,
    indexedAt: '2025-12-31T10:00:01.000Z',
    ...extra,
  };
}

describe.skipIf(!hasData)(`bluesky adapter on recorded bodies${SKIP_NOTE}`, () => {
  it('parses a real post view inside a feed page built to the documented shape', async () => {
    const thread = readJson('bluesky/marshalx-atproto/thread_view_post_with_embed_media.json') as {
      thread: { post: Record<string, unknown> };
    };
    const record = readJson('bluesky/marshalx-atproto/post_record.json') as Record<string, unknown>;
    const fromRecord = {
      uri: record.uri,
      cid: record.cid,
      author: { did: 'did:plc:kvwvcn5iqfooopmyzvb4qzba', handle: 'test.marshal.dev' },
      record: record.value,
      replyCount: '5',
      repostCount: 0,
      likeCount: '1.2K',
      indexedAt: '2024-02-22T19:58:14.000Z',
    };
    const http = createFakeHttp(() => ({
      body: {
        feed: [
          { post: thread.thread.post },
          { post: fromRecord, reason: { $type: 'app.bsky.feed.defs#reasonRepost' } },
        ],
        cursor: '2024-02-22T19:58:13.903Z',
      },
    }));

    const page = await createBlueskyAdapter().fetchPage(account, null, fakeContext(http));

    expect(http.calls[0]?.url.toString()).toBe(
      'https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor=test.marshal.dev&limit=50',
    );
    expect(http.calls[0]?.options.rateLimit).toEqual({ dialect: 'ietf' });
    expect(page.next).toBe('2024-02-22T19:58:13.903Z');
    expect(page.posts).toHaveLength(2);
    expect(page.posts[0]).toEqual({
      platform: 'bluesky',
      postId: 'at://did:plc:kvwvcn5iqfooopmyzvb4qzba/app.bsky.feed.post/3kaheyt6vpc22',
      account: 'test.marshal.dev',
      url: 'https://bsky.app/profile/test.marshal.dev/post/3kaheyt6vpc22',
      createdAt: '2023-09-28T12:49:36.735Z',
      text: '',
      kind: 'original',
      mediaKind: 'image',
      hashtags: [],
      counts: { views: null, likes: 0, replies: 0, reposts: 0, quotes: null, score: null },
      observedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(page.posts[1]).toMatchObject({
      postId: 'at://did:plc:kvwvcn5iqfooopmyzvb4qzba/app.bsky.feed.post/3k2yihcrp6f2c',
      createdAt: '2024-02-22T19:58:13.903Z',
      text: 'new text114',
      kind: 'repost',
      mediaKind: 'none',
      counts: { views: null, likes: 1200, replies: 5, reposts: 0, quotes: null, score: null },
    });
  });
});

describe('bluesky adapter', () => {
  it('passes the cursor and page size, and ends without a cursor', async () => {
    const http = createFakeHttp(() => ({
      body: { feed: [{ post: postView('at://did:plc:abc/app.bsky.feed.post/r1') }] },
    }));
    const adapter = createBlueskyAdapter({ baseUrl: 'http://sim.test/bluesky/', pageSize: 500 });

    const page = await adapter.fetchPage({ ...account, pageSize: 7 }, 'c1', fakeContext(http));

    expect(http.calls[0]?.url.toString()).toBe(
      'http://sim.test/bluesky/xrpc/app.bsky.feed.getAuthorFeed?actor=test.marshal.dev&limit=7&cursor=c1',
    );
    expect(page.next).toBeNull();
    expect(page.posts[0]?.counts).toEqual({
      views: null,
      likes: 3,
      replies: 1,
      reposts: 2,
      quotes: 4,
      score: null,
    });
  });

  it('marks replies and reads hashtags from facets and text, media from embeds', async () => {
    const reply = postView('at://did:plc:abc/app.bsky.feed.post/r2', {
      record: {
        text: 'Try this #TypeScript trick #tips',
        createdAt: '2025-12-30T10:00:00.000Z',
        reply: { root: {}, parent: {} },
        facets: [{ features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'Coding' }] }],
      },
      embed: { $type: 'app.bsky.embed.video#view' },
    });
    const http = createFakeHttp(() => ({ body: { feed: [{ post: reply }], cursor: 'x' } }));

    const page = await createBlueskyAdapter().fetchPage(account, null, fakeContext(http));

    expect(page.posts[0]).toMatchObject({
      kind: 'reply',
      mediaKind: 'video',
      hashtags: ['coding', 'typescript', 'tips'],
    });
  });

  it('looks posts up 25 per request', async () => {
    const ids = Array.from(
      { length: 60 },
      (_, index) => `at://did:plc:abc/app.bsky.feed.post/p${index}`,
    );
    const http = createFakeHttp((call) => ({
      body: { posts: call.url.searchParams.getAll('uris').map((uri) => postView(uri)) },
    }));

    const posts = await createBlueskyAdapter().lookup(ids, fakeContext(http));

    expect(http.calls.map((call) => call.url.searchParams.getAll('uris').length)).toEqual([
      25, 25, 10,
    ]);
    expect(http.calls[0]?.url.pathname).toBe('/xrpc/app.bsky.feed.getPosts');
    expect(posts.map((post) => post.postId)).toEqual(ids);
    expect(posts[0]?.account).toBe('alice.test');
  });

  it('fails a page whose feed is not an array, naming platform, account, path and types', async () => {
    const http = createFakeHttp(() => ({ body: { feed: 'nope' } }));

    await expect(
      createBlueskyAdapter().fetchPage(account, null, fakeContext(http)),
    ).rejects.toThrow(
      'bluesky test.marshal.dev page (/xrpc/app.bsky.feed.getAuthorFeed): expected feed to be an array, got string',
    );
  });

  it('fails a page with an item missing its uri, naming the item index', async () => {
    const bad = postView('x');
    delete (bad as Partial<typeof bad>).uri;
    const http = createFakeHttp(() => ({
      body: { feed: [{ post: postView('at://a/b/c') }, { post: bad }] },
    }));

    const error: unknown = await createBlueskyAdapter()
      .fetchPage(account, null, fakeContext(http))
      .catch((caught: unknown) => caught);

    expect(isParseError(error)).toBe(true);
    expect((error as Error).message).toContain(
      'expected feed[1].post.uri to be a non-empty string, got undefined',
    );
  });

  it('fails an HTML page with a ParseError', async () => {
    const http = createFakeHttp(() => ({ body: '<html><body>Bad gateway</body></html>' }));

    await expect(
      createBlueskyAdapter().fetchPage(account, null, fakeContext(http)),
    ).rejects.toThrow(
      'bluesky test.marshal.dev page (/xrpc/app.bsky.feed.getAuthorFeed): expected a JSON body, got text/html',
    );
  });

  it('names the health endpoint', () => {
    expect(createBlueskyAdapter().healthUrl()).toBe('https://public.api.bsky.app/xrpc/_health');
  });
});
