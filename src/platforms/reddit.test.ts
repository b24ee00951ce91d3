import { describe, expect, it } from 'vitest';
import { isAuthError, isConfigError } from '../errors.ts';
import { createFakeHttp, fakeContext } from './fake-http.ts';
import type { FakeCall, FakeReply } from './fake-http.ts';
import { createRedditAdapter, redditListingPath } from './reddit.ts';
import { hasData, readBetamax, SKIP_NOTE } from './test-data.ts';
import type { Recorded } from './test-data.ts';
import type { AccountSpec } from './types.ts';

const credentials = { clientId: 'id', clientSecret: 'secret', userAgent: 'flywheel-test/1' };
const token = { access_token: 'tok', token_type: 'bearer', expires_in: 3600, scope: '*' };

function reply(entry: Recorded | undefined): FakeReply | undefined {
  return (
    entry && {
      status: entry.status,
      headers: entry.headers,
      body: JSON.parse(entry.body) as unknown,
    }
  );
}

/** Serves the recorded token exchange and the recorded listing for `path`, whatever the query. */
function serve(recorded: Recorded[], path: string) {
  return (call: FakeCall): FakeReply | undefined => {
    if (call.url.pathname === '/api/v1/access_token') return reply(recorded[0]);
    if (call.url.pathname === path) return reply(recorded.find((entry) => entry.method === 'GET'));
    return undefined;
  };
}

function submission(id: string, extra: Record<string, unknown> = {}) {
  return {
    kind: 't3',
    data: {
      name: `t3_${id}`,
      title: `title ${id}`,
      selftext: '',
      score: 10,
      ups: 12,
      num_comments: 3,
      created_utc: 1700000000.0,
      permalink: `/r/x/comments/${id}/t/`,
      is_self: true,
      ...extra,
    },
  };
}

describe.skipIf(!hasData)(`reddit adapter on recorded traffic${SKIP_NOTE}`, () => {
  it('reads a real subreddit page with one token for two pages', async () => {
    const recorded = readBetamax('reddit-praw-cassettes/TestSubredditListings.test_new.json');
    const http = createFakeHttp(serve(recorded, '/r/askreddit/new'));
    const adapter = createRedditAdapter(credentials);
    const account: AccountSpec = { platform: 'reddit', id: 'r/askreddit' };

    const first = await adapter.fetchPage(account, null, fakeContext(http));
    await adapter.fetchPage(account, first.next, fakeContext(http));

    expect(http.calls.map((call) => `${call.method} ${call.url.toString()}`)).toEqual([
      'POST https://www.reddit.com/api/v1/access_token',
      'GET https://oauth.reddit.com/r/askreddit/new?raw_json=1&limit=100',
      'GET https://oauth.reddit.com/r/askreddit/new?raw_json=1&limit=100&after=t3_48f6io',
    ]);
    expect(http.calls[0]).toMatchObject({
      body: 'grant_type=client_credentials',
      headers: {
        authorization: `Basic ${Buffer.from('id:secret').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': 'flywheel-test/1',
      },
      options: { isIdempotent: false },
    });
    expect(http.calls[1]?.headers).toEqual({
      authorization: 'bearer <ACCESS_TOKEN>',
      'user-agent': 'flywheel-test/1',
    });
    // Reddit counts every request of the app-only token together, in its own header dialect.
    expect(http.calls.map((call) => call.options.rateLimit)).toEqual(
      Array.from({ length: 3 }, () => ({ dialect: 'reddit', key: 'app' })),
    );
    expect(first.posts).toHaveLength(100);
    expect(first.next).toBe('t3_48f6io');
    expect(first.posts[0]).toEqual({
      platform: 'reddit',
      postId: 't3_48fbm9',
      account: 'r/askreddit',
      url: 'https://www.reddit.com/r/AskReddit/comments/48fbm9/serious_parents_of_reddit_whats_the_biggest_lie/',
      createdAt: '2016-03-01T08:37:38.000Z',
      text: "[Serious] Parents of Reddit, what's the biggest lie about yourself you've told your kids?",
      kind: 'original',
      mediaKind: 'none',
      hashtags: [],
      counts: { views: null, likes: 1, replies: 1, reposts: null, quotes: null, score: 1 },
      observedAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('reads a real user overview of comments and submissions', async () => {
    const recorded = readBetamax(
      'reddit-praw-cassettes/TestRedditorListings.test_overview__new.json',
    );
    const http = createFakeHttp(serve(recorded, '/user/spez/'));
    const account: AccountSpec = {
      platform: 'reddit',
      id: 'u/spez',
      options: { listing: 'overview', sort: 'new' },
    };

    const page = await createRedditAdapter(credentials).fetchPage(account, null, fakeContext(http));

    expect(http.calls[1]?.url.toString()).toBe(
      'https://oauth.reddit.com/user/spez/?raw_json=1&sort=new&limit=100',
    );
    expect(page.posts.filter((post) => post.kind === 'reply')).toHaveLength(90);
    expect(page.posts.filter((post) => post.kind === 'original')).toHaveLength(10);
    expect(page.posts[0]).toMatchObject({
      postId: 't1_optfyql',
      counts: { score: 22, likes: 22, replies: null },
    });
    expect(page.posts.find((post) => post.postId === 't3_1tvsa59')).toMatchObject({
      mediaKind: 'link',
      counts: { score: 98, likes: 98, replies: 25, views: null },
    });
  });

  it('walks a real 11-page after chain to its end', async () => {
    const recorded = readBetamax(
      'reddit-praw-cassettes/TestListingGenerator.test_exhaust_items.json',
    );
    const http = createFakeHttp((call) => {
      if (call.url.pathname === '/api/v1/access_token') return reply(recorded[0]);
      const after = call.url.searchParams.get('after');
      return reply(
        recorded.find(
          (entry) =>
            entry.method === 'GET' && new URL(entry.uri).searchParams.get('after') === after,
        ),
      );
    });
    const adapter = createRedditAdapter(credentials);
    const account: AccountSpec = {
      platform: 'reddit',
      id: 'spez',
      options: { listing: 'overview', time: 'all', sort: 'top' },
    };

    let cursor: string | null = null;
    let total = 0;
    let pages = 0;
    do {
      const page = await adapter.fetchPage(account, cursor, fakeContext(http));
      total += page.posts.length;
      cursor = page.next;
      pages += 1;
    } while (cursor !== null);

    expect(pages).toBe(11);
    expect(total).toBe(1001);
    expect(http.calls.filter((call) => call.method === 'POST')).toHaveLength(1);
  });

  it('fails an HTML page with a ParseError', async () => {
    const recorded = readBetamax(
      'reddit-praw-cassettes/TestReddit.test_bad_request_without_json_text_html_response.json',
    );
    const html = recorded[1]!.body;
    const http = createFakeHttp((call) =>
      call.method === 'POST' ? { body: token } : { body: html },
    );

    await expect(
      createRedditAdapter(credentials).fetchPage(
        { platform: 'reddit', id: 'r/x' },
        null,
        fakeContext(http),
      ),
    ).rejects.toThrow('reddit r/x page (/r/x/new): expected a JSON body, got text/html');
  });
});

describe('reddit adapter', () => {
  it('renews the token a minute before it expires', async () => {
    const http = createFakeHttp((call) =>
      call.method === 'POST' ? { body: token } : { body: { data: { children: [], after: null } } },
    );
    const adapter = createRedditAdapter(credentials);
    const account: AccountSpec = { platform: 'reddit', id: 'u/a' };
    const start = Date.parse('2026-01-01T00:00:00Z');

    await adapter.fetchPage(account, null, fakeContext(http, new Date(start)));
    await adapter.fetchPage(account, null, fakeContext(http, new Date(start + 3_539_000)));
    expect(http.calls.filter((call) => call.method === 'POST')).toHaveLength(1);
    await adapter.fetchPage(account, null, fakeContext(http, new Date(start + 3_541_000)));
    expect(http.calls.filter((call) => call.method === 'POST')).toHaveLength(2);
  });

  it('raises AuthError naming the variables, never the values, when credentials are missing', async () => {
    const http = createFakeHttp(() => undefined);
    const adapter = createRedditAdapter({
      clientId: 'visible-id',
      clientIdEnv: 'MY_ID',
      clientSecretEnv: 'MY_SECRET',
    });

    const error: unknown = await adapter
      .fetchPage({ platform: 'reddit', id: 'u/a' }, null, fakeContext(http))
      .catch((caught: unknown) => caught);

    expect(isAuthError(error)).toBe(true);
    expect((error as Error).message).toBe(
      'reddit credentials missing: set the environment variables MY_ID and MY_SECRET',
    );
    expect(http.calls).toHaveLength(0);
  });

  it('maps accounts and listing options to paths', () => {
    const path = (id: string, options?: Record<string, string>) =>
      redditListingPath({ platform: 'reddit', id, options });
    expect(path('spez')).toBe('/user/spez/submitted');
    expect(path('u/spez', { listing: 'comments' })).toBe('/user/spez/comments');
    expect(path('/u/spez/', { listing: 'overview' })).toBe('/user/spez/');
    expect(path('r/askreddit')).toBe('/r/askreddit/new');
    expect(path('r/askreddit', { listing: 'top' })).toBe('/r/askreddit/top');
    expect(() => path('r/askreddit', { listing: 'submitted' })).toThrow(
      'reddit account "r/askreddit": options.listing "submitted" is not one of new, hot, top, rising',
    );
    let caught: unknown;
    try {
      path('spez', { listing: 'hot' });
    } catch (error) {
      caught = error;
    }
    expect(isConfigError(caught)).toBe(true);
  });

  it('looks fullnames up 100 per request', async () => {
    const ids = Array.from({ length: 250 }, (_, index) => `t3_${index.toString(36)}`);
    const http = createFakeHttp((call) => {
      if (call.method === 'POST') return { body: token };
      const batch = (call.url.searchParams.get('id') ?? '').split(',');
      return {
        body: {
          kind: 'Listing',
          data: { children: batch.map((id) => submission(id.slice(3))), after: null },
        },
      };
    });

    const posts = await createRedditAdapter(credentials).lookup(ids, fakeContext(http));

    const gets = http.calls.filter((call) => call.method === 'GET');
    expect(gets.map((call) => call.url.searchParams.get('id')?.split(',').length)).toEqual([
      100, 100, 50,
    ]);
    expect(gets[0]?.url.pathname).toBe('/api/info');
    expect(posts.map((post) => post.postId)).toEqual(ids);
  });

  it('reads media kinds, views and skips non-post kinds', async () => {
    const children = [
      submission('a', { is_self: false, post_hint: 'image', url: 'https://i.redd.it/a.jpg' }),
      submission('b', { is_video: true, view_count: 1234 }),
      submission('c', { is_gallery: true, score: -4 }),
      { kind: 'more', data: { count: 3 } },
    ];
    const http = createFakeHttp((call) =>
      call.method === 'POST' ? { body: token } : { body: { data: { children, after: 't3_c' } } },
    );

    const page = await createRedditAdapter(credentials).fetchPage(
      { platform: 'reddit', id: 'u/a' },
      null,
      fakeContext(http),
    );

    expect(page.posts.map((post) => post.mediaKind)).toEqual(['image', 'video', 'gallery']);
    expect(page.posts[1]?.counts.views).toBe(1234);
    expect(page.posts[2]?.counts.score).toBe(-4);
    expect(page.next).toBe('t3_c');
  });

  it('fails malformed pages naming the field and item', async () => {
    const adapter = createRedditAdapter(credentials);
    const account: AccountSpec = { platform: 'reddit', id: 'r/askreddit' };
    const bodies: unknown[] = [
      { data: { children: 'oops' } },
      { data: { children: [submission('a'), submission('b', { created_utc: undefined })] } },
    ];
    const http = createFakeHttp((call) =>
      call.method === 'POST' ? { body: token } : { body: bodies.shift() },
    );

    await expect(adapter.fetchPage(account, null, fakeContext(http))).rejects.toThrow(
      'reddit r/askreddit page (/r/askreddit/new): expected data.children to be an array, got string',
    );
    await expect(adapter.fetchPage(account, null, fakeContext(http))).rejects.toThrow(
      'expected data.children[1].data.created_utc to be a timestamp, got undefined',
    );
  });

  it('names a token-free health URL', () => {
    expect(createRedditAdapter().healthUrl()).toBe('https://www.reddit.com/api/v1/scopes');
  });
});
