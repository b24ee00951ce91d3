/**
 * The simulated Reddit: the app-only token endpoint (any client id and secret), bearer-checked
 * user and subreddit listings paged by `data.after`, `/api/info` and the public scopes list.
 * @internal
 */
import type { SimReply, SimRequest } from '../types.ts';
import { countsAt } from '../world.ts';
import type { SimAccount, SimPost, World } from '../world.ts';
import { errorReply, findAccount, intParam } from './common.ts';

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 100;
const TOKEN_TTL_S = 3600;

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 40);
}

function subredditOf(post: SimPost): string {
  return post.account.isSubreddit ? post.account.handle : 'simtalk';
}

function mediaFields(post: SimPost, permalink: string): Record<string, unknown> {
  switch (post.mediaKind) {
    case 'image':
      return { is_self: false, post_hint: 'image', url: `https://i.redd.it/${post.id}.jpg` };
    case 'video':
      return {
        is_self: false,
        is_video: true,
        post_hint: 'hosted:video',
        url: `https://v.redd.it/${post.id}`,
      };
    case 'gallery':
      return {
        is_self: false,
        is_gallery: true,
        url: `https://www.reddit.com/gallery/${post.id.slice(3)}`,
      };
    case 'link':
      return { is_self: false, post_hint: 'link', url: 'https://example.com/article' };
    case 'none':
    case 'poll':
    case 'other':
      return { is_self: true, url: `https://www.reddit.com${permalink}` };
  }
}

function thing(post: SimPost, nowMs: number): Record<string, unknown> {
  const counts = countsAt(post, nowMs);
  const id = post.id.slice(3);
  const subreddit = subredditOf(post);
  const permalink = `/r/${subreddit}/comments/${id}/${slug(post.content.title)}/`;
  const data = {
    name: post.id,
    id,
    title: post.content.title,
    selftext: post.mediaKind === 'none' ? post.content.body : '',
    author: post.account.isSubreddit ? `member_${id.slice(-3)}` : post.account.handle,
    subreddit,
    subreddit_name_prefixed: `r/${subreddit}`,
    score: counts.likes,
    ups: counts.likes,
    downs: 0,
    upvote_ratio: Math.round(post.ratios.upvoteRatio * 100) / 100,
    num_comments: counts.replies,
    created_utc: Math.floor(post.createdMs / 1000),
    permalink,
    is_video: false,
    view_count: null,
    over_18: false,
    ...mediaFields(post, permalink),
  };

  return { kind: 't3', data };
}

function listing(children: unknown[], after: string | null): Record<string, unknown> {
  return {
    kind: 'Listing',
    data: { after, dist: children.length, modhash: '', geo_filter: '', children, before: null },
  };
}

function ordered(account: SimAccount, sort: string, nowMs: number): SimPost[] {
  const posts = [...account.posts];
  const score = (post: SimPost) => countsAt(post, nowMs).likes;
  if (sort === 'top') return posts.sort((a, b) => score(b) - score(a) || b.createdMs - a.createdMs);
  if (sort === 'hot') {
    const hot = (post: SimPost) => score(post) / ((nowMs - post.createdMs) / 3_600_000 + 2) ** 1.5;
    return posts.sort((a, b) => hot(b) - hot(a) || b.createdMs - a.createdMs);
  }

  return posts;
}

/** The Reddit routes, with the tokens they issued. */
export function createRedditRoutes(world: World): (req: SimRequest) => SimReply | undefined {
  const tokens = new Set<string>();

  const token = (req: SimRequest): SimReply => {
    const route = 'reddit token';
    const auth = String(req.headers.authorization ?? '');
    const grant = new URLSearchParams(req.body).get('grant_type');
    if (req.method !== 'POST' || !/^Basic \S+/i.test(auth))
      return errorReply(route, 401, { message: 'Unauthorized', error: 401 });
    if (grant !== 'client_credentials')
      return errorReply(route, 400, { error: 'unsupported_grant_type' });
    const value = `sim-token-${tokens.size + 1}`;
    tokens.add(value);

    return {
      route,
      body: { access_token: value, token_type: 'bearer', expires_in: TOKEN_TTL_S, scope: '*' },
    };
  };

  const listAccount = (
    req: SimRequest,
    route: string,
    account: SimAccount | undefined,
    kind: string,
  ): SimReply => {
    if (account === undefined) return errorReply(route, 404, { message: 'Not Found', error: 404 });
    const limit = Math.min(intParam(req.query, 'limit', DEFAULT_LIMIT) ?? DEFAULT_LIMIT, MAX_LIMIT);
    // A user's comments listing is empty: simulated users only submit.
    const posts =
      kind === 'comments' ? [] : ordered(account, req.query.get('sort') ?? kind, req.nowMs);
    const after = req.query.get('after');
    const start = after === null ? 0 : posts.findIndex((post) => post.id === after) + 1;
    const page = start === 0 && after !== null ? [] : posts.slice(start, start + limit);
    const last = page[page.length - 1];
    const next = last !== undefined && start + page.length < posts.length ? last.id : null;

    return {
      route,
      body: listing(
        page.map((post) => thing(post, req.nowMs)),
        next,
      ),
    };
  };

  return (req) => {
    if (req.path === '/api/v1/access_token') return token(req);
    if (req.path === '/api/v1/scopes')
      return { route: 'reddit scopes', body: { read: { id: 'read', name: 'Read Content' } } };

    const bearer = /^bearer (\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    const isAuthorized = bearer !== undefined && tokens.has(bearer);
    const user = /^\/user\/([^/]+)\/(submitted|comments|overview)?\/?$/.exec(req.path);
    const subreddit = /^\/r\/([^/]+)\/(new|hot|top|rising)\/?$/.exec(req.path);
    const isInfo = req.path === '/api/info';
    if (user === null && subreddit === null && !isInfo) return undefined;
    if (!isAuthorized)
      return errorReply('reddit unauthorized', 401, { message: 'Unauthorized', error: 401 });

    if (user?.[1] !== undefined) {
      const account = findAccount(world, 'reddit', `u/${user[1]}`);
      return listAccount(req, 'reddit user listing', account, user[2] ?? 'overview');
    }
    if (subreddit?.[1] !== undefined) {
      return listAccount(
        req,
        'reddit subreddit listing',
        findAccount(world, 'reddit', `r/${subreddit[1]}`),
        subreddit[2] ?? 'new',
      );
    }
    const ids = (req.query.get('id') ?? '').split(',').filter((id) => id !== '');
    const found = ids.flatMap((id) => {
      const post = world.posts.reddit.get(id);
      return post === undefined ? [] : [thing(post, req.nowMs)];
    });

    return { route: 'reddit info', body: listing(found, null) };
  };
}
