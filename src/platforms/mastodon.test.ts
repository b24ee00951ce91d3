import { describe, expect, it } from 'vitest';
import { createFakeHttp, fakeContext } from './fake-http.ts';
import type { FakeCall, FakeReply } from './fake-http.ts';
import { createMastodonAdapter } from './mastodon.ts';
import { hasData, readVcr, SKIP_NOTE } from './test-data.ts';
import type { Recorded } from './test-data.ts';

/** Serves recorded GETs whose path and query match the call exactly. */
function replay(recorded: Recorded[]) {
  return (call: FakeCall): FakeReply | undefined => {
    const hit = recorded.find((entry) => {
      const url = new URL(entry.uri);
      return (
        entry.method === 'GET' && url.pathname + url.search === call.url.pathname + call.url.search
      );
    });
    return (
      hit && { status: hit.status, headers: hit.headers, body: JSON.parse(hit.body) as unknown }
    );
  };
}

function status(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    created_at: '2025-12-01T00:00:00.000Z',
    in_reply_to_id: null,
    content: `<p>status ${id}</p>`,
    url: `https://m.test/@a/${id}`,
    replies_count: 1,
    reblogs_count: 2,
    favourites_count: 3,
    account: { acct: 'alice' },
    ...extra,
  };
}

describe.skipIf(!hasData)(`mastodon adapter on recorded traffic${SKIP_NOTE}`, () => {
  it('pages a real account by the Link header max_id', async () => {
    const http = createFakeHttp(
      replay(readVcr('mastodon-py-cassettes/cassettes/test_fetch_next_previous.yaml')),
    );
    const adapter = createMastodonAdapter({ baseUrl: 'http://localhost:3000' });
    const account = { platform: 'mastodon' as const, id: '117020565966271181', pageSize: 5 };

    const first = await adapter.fetchPage(account, null, fakeContext(http));
    const second = await adapter.fetchPage(account, first.next, fakeContext(http));

    expect(http.calls.map((call) => call.url.search)).toEqual([
      '?limit=5',
      '?limit=5&max_id=117020580489281910',
    ]);
    expect(http.calls.map((call) => call.options.rateLimit)).toEqual([
      { dialect: 'mastodon' },
      { dialect: 'mastodon' },
    ]);
    expect(first.posts.map((post) => post.postId)).toEqual([
      '117020580518794573',
      '117020580511453871',
      '117020580503743669',
      '117020580496489811',
      '117020580489281910',
    ]);
    expect(first.next).toBe('117020580489281910');
    expect(second.posts).toHaveLength(5);
    expect(second.next).toBe('117020580452511285');
    expect(first.posts[0]).toMatchObject({
      text: 'Toot number 9!',
      kind: 'original',
      counts: { views: null, likes: 0, replies: 0, reposts: 0, quotes: 0, score: null },
    });
  });

  it('falls back to one request per status on a 404 batch endpoint and remembers it', async () => {
    const recorded = readVcr(
      'mastodon-py-cassettes/cassettes_entity_tests/test_entity_status.yaml',
    );
    const http = createFakeHttp(replay(recorded));
    const adapter = createMastodonAdapter();
    const ids = ['110446223051565765', '110446183735368325'];

    const posts = await adapter.lookup(ids, fakeContext(http));
    await adapter.lookup(ids, fakeContext(http));

    expect(http.calls.map((call) => call.url.pathname)).toEqual([
      '/api/v1/statuses',
      '/api/v1/statuses/110446223051565765',
      '/api/v1/statuses/110446183735368325',
      '/api/v1/statuses/110446223051565765',
      '/api/v1/statuses/110446183735368325',
    ]);
    expect(posts[0]).toEqual({
      platform: 'mastodon',
      postId: '110446223051565765',
      account: 'halcy@icosahedron.website',
      url: 'https://icosahedron.website/@halcy/110446222386355655',
      createdAt: '2023-05-28T12:06:50.000Z',
      text: "@halcy you're a doo-doo head\n\nedit: editing this to have the maximum amount of fields filled :trans_heart: #ThisIsAHashtag",
      kind: 'original',
      mediaKind: 'video',
      hashtags: ['thisisahashtag'],
      counts: { views: null, likes: 1, replies: 0, reposts: 0, quotes: 0, score: null },
      observedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(posts[1]).toMatchObject({
      postId: '110446183735368325',
      text: 'test?',
      mediaKind: 'poll',
    });
  });
});

describe('mastodon adapter', () => {
  it('resolves an acct once per adapter and pages with limit then max_id', async () => {
    const http = createFakeHttp((call) => {
      if (call.url.pathname === '/api/v1/accounts/lookup') return { body: { id: '42' } };
      return {
        headers: {
          link: '<https://mastodon.social/api/v1/accounts/42/statuses?limit=40&max_id=7>; rel="next"',
        },
        body: [status('9'), status('8')],
      };
    });
    const adapter = createMastodonAdapter();
    const account = { platform: 'mastodon' as const, id: '@Gargron@mastodon.social' };

    const first = await adapter.fetchPage(account, null, fakeContext(http));
    await adapter.fetchPage(account, first.next, fakeContext(http));

    expect(http.calls.map((call) => call.url.pathname + call.url.search)).toEqual([
      '/api/v1/accounts/lookup?acct=Gargron%40mastodon.social',
      '/api/v1/accounts/42/statuses?limit=40',
      '/api/v1/accounts/42/statuses?limit=40&max_id=7',
    ]);
    expect(first.next).toBe('7');
  });

  it('ends on a missing next link or an empty page', async () => {
    const replies = [
      { body: [status('5')] },
      { headers: { link: '<https://m.test/x?max_id=1>; rel="next"' }, body: [] },
    ];
    const http = createFakeHttp(() => replies.shift());
    const adapter = createMastodonAdapter();
    const account = { platform: 'mastodon' as const, id: '1' };

    expect((await adapter.fetchPage(account, null, fakeContext(http))).next).toBeNull();
    expect(await adapter.fetchPage(account, null, fakeContext(http))).toEqual({
      posts: [],
      next: null,
    });
  });

  it('maps reblogs to reposts with the outer id and counts, replies to replies, absent quotes to null', async () => {
    const reblog = status('100', {
      content: '',
      url: null,
      replies_count: 0,
      reblogs_count: 0,
      favourites_count: 0,
      reblog: status('55', {
        content: '<p>original &lt;3 #Art</p>',
        favourites_count: 900,
        media_attachments: [{ type: 'image' }],
      }),
    });
    const http = createFakeHttp(() => ({ body: [reblog, status('99', { in_reply_to_id: '3' })] }));

    const page = await createMastodonAdapter().fetchPage(
      { platform: 'mastodon', id: '1' },
      null,
      fakeContext(http),
    );

    expect(page.posts[0]).toMatchObject({
      postId: '100',
      kind: 'repost',
      text: 'original <3 #Art',
      url: 'https://m.test/@a/55',
      mediaKind: 'image',
      hashtags: ['art'],
      counts: { likes: 0, replies: 0, reposts: 0, quotes: null },
    });
    expect(page.posts[1]?.kind).toBe('reply');
  });

  it('looks statuses up 20 per request with id[]', async () => {
    const ids = Array.from({ length: 45 }, (_, index) => String(1000 + index));
    const http = createFakeHttp((call) => ({
      body: call.url.searchParams.getAll('id[]').map((id) => status(id)),
    }));

    const posts = await createMastodonAdapter().lookup(ids, fakeContext(http));

    expect(http.calls.map((call) => call.url.searchParams.getAll('id[]').length)).toEqual([
      20, 20, 5,
    ]);
    expect(posts.map((post) => post.postId)).toEqual(ids);
    expect(posts[0]?.account).toBe('alice');
  });

  it('probes a pre-4.3 instance with one batch while the others wait, then goes one by one', async () => {
    const ids = Array.from({ length: 45 }, (_, index) => String(1000 + index));
    const http = createFakeHttp((call) => {
      if (call.url.pathname === '/api/v1/statuses') return undefined;
      return { body: status(call.url.pathname.split('/').at(-1) ?? '') };
    });
    const adapter = createMastodonAdapter();

    const posts = await adapter.lookup(ids, fakeContext(http));
    await adapter.lookup(ids.slice(0, 3), fakeContext(http));

    // One refused batch, then one request per status: 1 + 45, and 3 more without a probe.
    expect(http.calls).toHaveLength(1 + 45 + 3);
    expect(http.calls.filter((call) => call.url.pathname === '/api/v1/statuses')).toHaveLength(1);
    expect(posts.map((post) => post.postId)).toEqual(ids);
  });

  it('keeps asking whether the batch endpoint exists after a transient failure', async () => {
    let batches = 0;
    const http = createFakeHttp((call) => {
      batches++;
      if (batches === 1) return { status: 503, body: 'busy' };
      return { body: call.url.searchParams.getAll('id[]').map((id) => status(id)) };
    });
    const adapter = createMastodonAdapter();
    const groups = [['1', '2'], ['3'], ['4', '5']];

    const results = await Promise.allSettled(
      groups.map((ids) => adapter.lookup(ids, fakeContext(http))),
    );

    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(http.calls.map((call) => call.url.pathname)).toEqual([
      '/api/v1/statuses',
      '/api/v1/statuses',
      '/api/v1/statuses',
    ]);
  });

  it('fails a page that is not an array and an item without created_at', async () => {
    const adapter = createMastodonAdapter();
    const account = { platform: 'mastodon' as const, id: '1' };
    const notArray = createFakeHttp(() => ({ body: { error: 'x' } }));
    const noTime = createFakeHttp(() => ({
      body: [status('1'), status('2', { created_at: undefined })],
    }));

    await expect(adapter.fetchPage(account, null, fakeContext(notArray))).rejects.toThrow(
      'mastodon 1 page (/api/v1/accounts/1/statuses): expected the body to be an array, got object',
    );
    await expect(adapter.fetchPage(account, null, fakeContext(noTime))).rejects.toThrow(
      'expected [1].created_at to be a timestamp, got undefined',
    );
  });

  it('names the instance endpoint as health URL', () => {
    expect(createMastodonAdapter({ baseUrl: 'https://fosstodon.org/' }).healthUrl()).toBe(
      'https://fosstodon.org/api/v1/instance',
    );
  });
});
