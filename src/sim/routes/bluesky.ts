/**
 * The simulated Bluesky AppView: getAuthorFeed (cursor = createdAt of the page's last item),
 * getPosts (at most 25 URIs) and _health.
 * @internal
 */
import type { SimReply, SimRequest } from '../types.ts';
import { countsAt } from '../world.ts';
import type { SimPost, World } from '../world.ts';
import { errorReply, fakeCid, findAccount, intParam, iso } from './common.ts';

const MAX_URIS = 25;

function embeds(post: SimPost): { record?: unknown; view?: unknown } {
  const images = (count: number) =>
    Array.from({ length: count }, (_, index) => ({ alt: `image ${index + 1}` }));
  switch (post.mediaKind) {
    case 'image':
    case 'gallery': {
      const list = images(post.mediaKind === 'image' ? 1 : 3);
      return {
        record: { $type: 'app.bsky.embed.images', images: list },
        view: {
          $type: 'app.bsky.embed.images#view',
          images: list.map((image) => ({
            ...image,
            thumb: 'https://cdn.sim/t.jpg',
            fullsize: 'https://cdn.sim/f.jpg',
          })),
        },
      };
    }
    case 'video':
      return {
        record: { $type: 'app.bsky.embed.video' },
        view: { $type: 'app.bsky.embed.video#view', playlist: 'https://video.sim/p.m3u8' },
      };
    case 'link': {
      const external = {
        uri: 'https://example.com/article',
        title: post.content.title,
        description: '',
      };
      return {
        record: { $type: 'app.bsky.embed.external', external },
        view: { $type: 'app.bsky.embed.external#view', external },
      };
    }
    case 'none':
    case 'poll':
    case 'other':
      return {};
  }
}

function facets(post: SimPost): unknown[] {
  const bytes = Buffer.from(post.text);
  return post.content.hashtags.map((tag) => {
    const byteStart = bytes.indexOf(`#${tag}`);
    return {
      index: { byteStart, byteEnd: byteStart + Buffer.byteLength(`#${tag}`) },
      features: [{ $type: 'app.bsky.richtext.facet#tag', tag }],
    };
  });
}

/** The post view of a simulated post, as getAuthorFeed and getPosts return it. */
function postView(post: SimPost, nowMs: number): Record<string, unknown> {
  const origin = post.repostOf;
  const author =
    origin === null
      ? { did: post.account.platformId, handle: post.account.handle }
      : { did: origin.did, handle: origin.handle };
  const createdMs = origin === null ? post.createdMs : origin.createdMs;
  const counts =
    origin === null
      ? countsAt(post, nowMs)
      : countsAt({ ...post, engagement: origin.engagement, createdMs: origin.createdMs }, nowMs);
  const { record: embed, view } = embeds(post);
  const record: Record<string, unknown> = {
    $type: 'app.bsky.feed.post',
    text: post.text,
    createdAt: iso(createdMs),
    langs: ['en'],
  };
  if (post.content.hashtags.length > 0) record.facets = facets(post);
  if (embed !== undefined) record.embed = embed;
  if (post.kind === 'reply') {
    const parent = {
      uri: `at://did:plc:simparent/app.bsky.feed.post/${post.id.slice(-13)}`,
      cid: fakeCid(`${post.id}p`),
    };
    record.reply = { root: parent, parent };
  }

  return {
    uri: post.id,
    cid: fakeCid(post.id),
    author: { ...author, displayName: author.handle.split('.')[0] },
    record,
    ...(view === undefined ? {} : { embed: view }),
    replyCount: counts.replies,
    repostCount: counts.reposts,
    likeCount: counts.likes,
    quoteCount: counts.quotes,
    indexedAt: iso(createdMs + 1_000),
    labels: [],
  };
}

function authorFeed(req: SimRequest, world: World): SimReply {
  const route = 'bluesky getAuthorFeed';
  const account = findAccount(world, 'bluesky', req.query.get('actor') ?? '');
  if (account === undefined)
    return errorReply(route, 400, { error: 'InvalidRequest', message: 'Profile not found' });
  const limit = intParam(req.query, 'limit', 50);
  if (limit === null || limit > 100)
    return errorReply(route, 400, {
      error: 'InvalidRequest',
      message: 'limit must be between 1 and 100',
    });

  const cursor = req.query.get('cursor');
  const beforeMs = cursor === null || cursor === '' ? Number.POSITIVE_INFINITY : Date.parse(cursor);
  if (Number.isNaN(beforeMs))
    return errorReply(route, 400, { error: 'InvalidRequest', message: 'malformed cursor' });
  const remaining = account.posts.filter((post) => post.createdMs < beforeMs);
  const page = remaining.slice(0, limit);
  const last = page[page.length - 1];
  const feed = page.map((post) => {
    const item: Record<string, unknown> = { post: postView(post, req.nowMs) };
    if (post.kind === 'repost') {
      item.reason = {
        $type: 'app.bsky.feed.defs#reasonRepost',
        by: { did: account.platformId, handle: account.handle },
        indexedAt: iso(post.createdMs),
      };
    }
    return item;
  });

  return {
    route,
    body:
      remaining.length > limit && last !== undefined
        ? { feed, cursor: iso(last.createdMs) }
        : { feed },
  };
}

function getPosts(req: SimRequest, world: World): SimReply {
  const route = 'bluesky getPosts';
  const uris = req.query.getAll('uris');
  if (uris.length > MAX_URIS)
    return errorReply(route, 400, {
      error: 'InvalidRequest',
      message: `uris must not have more than ${MAX_URIS} elements`,
    });
  const posts = uris.flatMap((uri) => {
    const post = world.posts.bluesky.get(uri);
    return post === undefined ? [] : [postView(post, req.nowMs)];
  });

  return { route, body: { posts } };
}

/** Answers a request under `/bluesky`. */
export function blueskyRoutes(req: SimRequest, world: World): SimReply | undefined {
  switch (req.path) {
    case '/xrpc/_health':
      return { route: 'bluesky health', body: { version: 'flywheel-sim' } };
    case '/xrpc/app.bsky.feed.getAuthorFeed':
      return authorFeed(req, world);
    case '/xrpc/app.bsky.feed.getPosts':
      return getPosts(req, world);
    default:
      return undefined;
  }
}
