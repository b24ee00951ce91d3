/**
 * The simulated Mastodon instance: account statuses paged by `max_id` with an RFC 8288 Link
 * header (a next link only when the page is full, as Mastodon does), acct lookup, the 4.3
 * multi-get `/api/v1/statuses?id[]=` (at most 20 ids; absent when the simulator plays a 4.2
 * instance), single statuses and `/api/v1/instance`.
 * @internal
 */
import type { SimReply, SimRequest } from '../types.ts';
import { countsAt } from '../world.ts';
import type { SimAccount, SimPost, World } from '../world.ts';
import { errorReply, findAccount, intParam, iso } from './common.ts';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 40;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.codePointAt(0)};`);
}

function toHtml(post: SimPost, base: string): string {
  return post.text
    .split('\n\n')
    .map((paragraph) => {
      const html = escapeHtml(paragraph)
        .replace(/\n/g, '<br />')
        .replace(
          /#(\w+)/g,
          (_, tag: string) =>
            `<a href="${base}/tags/${tag}" class="mention hashtag" rel="tag">#<span>${tag}</span></a>`,
        );
      return `<p>${html}</p>`;
    })
    .join('');
}

function accountJson(account: SimAccount, base: string): Record<string, unknown> {
  return {
    id: account.platformId,
    username: account.handle,
    acct: account.handle,
    display_name: account.handle,
    url: `${base}/@${account.handle}`,
    followers_count: Math.round(account.medianEngagement * 40),
  };
}

function media(post: SimPost): Record<string, unknown> {
  const attachment = (type: string, index: number) => ({
    id: `${post.id}${index}`,
    type,
    url: `https://files.sim/${post.id}/${index}`,
  });
  switch (post.mediaKind) {
    case 'image':
      return { media_attachments: [attachment('image', 0)], card: null, poll: null };
    case 'gallery':
      return {
        media_attachments: [0, 1, 2].map((index) => attachment('image', index)),
        card: null,
        poll: null,
      };
    case 'video':
      return { media_attachments: [attachment('video', 0)], card: null, poll: null };
    case 'link':
      return {
        media_attachments: [],
        card: { url: 'https://example.com/article', title: post.content.title, type: 'link' },
        poll: null,
      };
    case 'poll':
      return {
        media_attachments: [],
        card: null,
        poll: { id: post.id, options: [{ title: 'yes' }, { title: 'no' }] },
      };
    case 'none':
    case 'other':
      return { media_attachments: [], card: null, poll: null };
  }
}

function statusJson(post: SimPost, req: SimRequest): Record<string, unknown> {
  const account = accountJson(post.account, req.base);
  const origin = post.repostOf;
  const counts = countsAt(post, req.nowMs);
  const common = {
    id: post.id,
    created_at: iso(post.createdMs),
    in_reply_to_id: post.kind === 'reply' ? String(BigInt(post.id) - 65_536n * 1000n) : null,
    in_reply_to_account_id: null,
    sensitive: false,
    spoiler_text: '',
    visibility: 'public',
    language: 'en',
    uri: `${req.base}/users/${post.account.handle}/statuses/${post.id}`,
    account,
    mentions: [],
    emojis: [],
  };
  if (origin !== null) {
    const originCounts = countsAt(
      { ...post, engagement: origin.engagement, createdMs: origin.createdMs },
      req.nowMs,
    );
    const reblog = {
      ...common,
      id: origin.id,
      created_at: iso(origin.createdMs),
      in_reply_to_id: null,
      uri: `https://elsewhere.sim/users/${origin.handle}/statuses/${origin.id}`,
      url: `https://elsewhere.sim/@${origin.handle}/${origin.id}`,
      account: {
        id: '1',
        username: origin.handle,
        acct: `${origin.handle}@elsewhere.sim`,
        display_name: origin.handle,
      },
      replies_count: originCounts.replies,
      reblogs_count: originCounts.reposts,
      favourites_count: originCounts.likes,
      quotes_count: originCounts.quotes,
      content: toHtml(post, req.base),
      tags: post.content.hashtags.map((name) => ({ name, url: `${req.base}/tags/${name}` })),
      reblog: null,
      ...media(post),
    };
    // Reblog wrappers carry no content and zero counts of their own, as on real instances.
    return {
      ...common,
      url: null,
      replies_count: 0,
      reblogs_count: 0,
      favourites_count: 0,
      quotes_count: 0,
      content: '',
      tags: [],
      reblog,
      media_attachments: [],
      card: null,
      poll: null,
    };
  }

  return {
    ...common,
    url: `${req.base}/@${post.account.handle}/${post.id}`,
    replies_count: counts.replies,
    reblogs_count: counts.reposts,
    favourites_count: counts.likes,
    ...(post.hasQuotesCount ? { quotes_count: counts.quotes } : {}),
    content: toHtml(post, req.base),
    tags: post.content.hashtags.map((name) => ({ name, url: `${req.base}/tags/${name}` })),
    reblog: null,
    ...media(post),
  };
}

function statuses(req: SimRequest, world: World, accountId: string): SimReply {
  const route = 'mastodon statuses';
  const account = findAccount(world, 'mastodon', accountId);
  if (account === undefined || account.platformId !== accountId)
    return errorReply(route, 404, { error: 'Record not found' });
  const limit = Math.min(intParam(req.query, 'limit', DEFAULT_LIMIT) ?? DEFAULT_LIMIT, MAX_LIMIT);
  const maxId = req.query.get('max_id');
  if (maxId !== null && !/^\d+$/.test(maxId))
    return errorReply(route, 400, { error: 'max_id must be a status id' });

  const before = maxId === null ? null : BigInt(maxId);
  const page = account.posts
    .filter((post) => before === null || BigInt(post.id) < before)
    .slice(0, limit);
  const headers: Record<string, string> = {};
  const first = page[0];
  const last = page[page.length - 1];
  if (first !== undefined && last !== undefined) {
    const self = `${req.base}/api/v1/accounts/${accountId}/statuses`;
    const links = [`<${self}?limit=${limit}&min_id=${first.id}>; rel="prev"`];
    // Mastodon offers a next page only when this one came back full.
    if (page.length === limit)
      links.unshift(`<${self}?limit=${limit}&max_id=${last.id}>; rel="next"`);
    headers.link = links.join(', ');
  }

  return { route, headers, body: page.map((post) => statusJson(post, req)) };
}

/** How the simulated instance behaves. */
export interface MastodonSimOptions {
  /** Whether it has the 4.3 multi-get `/api/v1/statuses?id[]=`; without it, it says 4.2.0. */
  hasMultiGet: boolean;
}

/** Mastodon refuses more ids than this in one multi-get (`DEFAULT_STATUSES_LIMIT`). */
const MAX_MULTI_GET = 20;

/** Answers a request under `/mastodon`. */
export function mastodonRoutes(
  req: SimRequest,
  world: World,
  options: MastodonSimOptions = { hasMultiGet: true },
): SimReply | undefined {
  const statusesMatch = /^\/api\/v1\/accounts\/([^/]+)\/statuses$/.exec(req.path);
  if (statusesMatch?.[1] !== undefined) return statuses(req, world, statusesMatch[1]);

  const single = /^\/api\/v1\/statuses\/(\d+)$/.exec(req.path);
  if (single?.[1] !== undefined) {
    const post = world.posts.mastodon.get(single[1]);
    return post === undefined
      ? errorReply('mastodon status', 404, { error: 'Record not found' })
      : { route: 'mastodon status', body: statusJson(post, req) };
  }

  switch (req.path) {
    case '/api/v1/instance':
      return {
        route: 'mastodon instance',
        body: {
          uri: 'mastodon.sim',
          title: 'Flywheel simulator',
          version: options.hasMultiGet ? '4.3.0' : '4.2.0',
        },
      };
    case '/api/v1/accounts/lookup': {
      const name = (req.query.get('acct') ?? '').replace(/^@/, '').split('@')[0] ?? '';
      const account = world.accounts.find(
        (candidate) => candidate.platform === 'mastodon' && candidate.handle === name,
      );
      return account === undefined
        ? errorReply('mastodon lookup', 404, { error: 'Record not found' })
        : { route: 'mastodon lookup', body: accountJson(account, req.base) };
    }
    case '/api/v1/statuses': {
      const route = 'mastodon statuses batch';
      // Before 4.3 there is no such route: Rails answers 404.
      if (!options.hasMultiGet) return errorReply(route, 404, { error: 'Record not found' });
      const ids = req.query.getAll('id[]');
      if (ids.length > MAX_MULTI_GET) {
        return errorReply(route, 422, { error: 'Mastodon::ValidationError' });
      }
      const found = ids.flatMap((id) => {
        const post = world.posts.mastodon.get(id);
        return post === undefined ? [] : [statusJson(post, req)];
      });
      return { route, body: found };
    }
    default:
      return undefined;
  }
}
