/**
 * The simulated YouTube Data API: playlistItems (uploads playlists `UU…`, paged by an opaque
 * `nextPageToken`), videos.list with string counts (some like counts hidden), key checks and
 * Google error envelopes.
 * @internal
 */
import type { SimReply, SimRequest } from '../types.ts';
import { countsAt } from '../world.ts';
import type { SimPost, World } from '../world.ts';
import { errorReply, intParam, iso } from './common.ts';

const MAX_RESULTS = 50;

function googleError(route: string, status: number, reason: string, message: string): SimReply {
  return errorReply(route, status, {
    error: { code: status, message, errors: [{ message, domain: 'youtube.sim', reason }] },
  });
}

function pageToken(offset: number): string {
  return Buffer.from(`sim:${offset}`).toString('base64url');
}

function readToken(token: string | null): number | null {
  if (token === null || token === '') return 0;
  const match = /^sim:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));

  return match?.[1] === undefined ? null : Number(match[1]);
}

function playlistItems(req: SimRequest, world: World): SimReply {
  const route = 'youtube playlistItems';
  const playlistId = req.query.get('playlistId') ?? '';
  const account = world.accounts.find(
    (candidate) =>
      candidate.platform === 'youtube' && `UU${candidate.platformId.slice(2)}` === playlistId,
  );
  if (account === undefined)
    return googleError(
      route,
      404,
      'playlistNotFound',
      "The playlist identified with the request's playlistId parameter cannot be found.",
    );
  const maxResults = intParam(req.query, 'maxResults', 5);
  if (maxResults === null || maxResults > MAX_RESULTS)
    return googleError(route, 400, 'invalidParameter', 'Invalid value for maxResults.');
  const offset = readToken(req.query.get('pageToken'));
  if (offset === null)
    return googleError(
      route,
      400,
      'invalidPageToken',
      'The request specifies an invalid page token.',
    );

  const withDetails = (req.query.get('part') ?? '').split(',').includes('contentDetails');
  const page = account.posts.slice(offset, offset + maxResults);
  const items = page.map((post, index) => ({
    kind: 'youtube#playlistItem',
    etag: `sim-${post.id}`,
    id: Buffer.from(`${playlistId}.${post.id}`).toString('base64url'),
    snippet: {
      publishedAt: iso(post.createdMs + 60_000),
      channelId: account.platformId,
      title: post.content.title,
      description: post.content.body,
      channelTitle: account.handle,
      playlistId,
      position: offset + index,
      resourceId: { kind: 'youtube#video', videoId: post.id },
    },
    ...(withDetails
      ? { contentDetails: { videoId: post.id, videoPublishedAt: iso(post.createdMs) } }
      : {}),
  }));
  const end = offset + page.length;

  return {
    route,
    body: {
      kind: 'youtube#playlistItemListResponse',
      etag: `sim-${playlistId}-${offset}`,
      ...(end < account.posts.length && page.length > 0 ? { nextPageToken: pageToken(end) } : {}),
      ...(offset > 0 ? { prevPageToken: pageToken(Math.max(0, offset - maxResults)) } : {}),
      pageInfo: { totalResults: account.posts.length, resultsPerPage: maxResults },
      items,
    },
  };
}

function video(post: SimPost, nowMs: number): Record<string, unknown> {
  const counts = countsAt(post, nowMs);
  const description = [post.content.body, post.content.hashtags.map((tag) => `#${tag}`).join(' ')]
    .filter((part) => part !== '')
    .join('\n\n');

  return {
    kind: 'youtube#video',
    etag: `sim-${post.id}`,
    id: post.id,
    snippet: {
      publishedAt: iso(post.createdMs),
      channelId: post.account.platformId,
      title: post.content.title,
      description,
      channelTitle: post.account.handle,
      categoryId: '28',
    },
    statistics: {
      viewCount: String(counts.views),
      // Channels can hide like counts; the API then leaves the field out.
      ...(post.isLikeHidden ? {} : { likeCount: String(counts.likes) }),
      favoriteCount: '0',
      commentCount: String(counts.replies),
    },
  };
}

function videos(req: SimRequest, world: World): SimReply {
  const route = 'youtube videos';
  const ids = (req.query.get('id') ?? '').split(',').filter((id) => id !== '');
  if (ids.length > MAX_RESULTS) return googleError(route, 400, 'invalidParameter', 'Too many ids.');
  const items = ids.flatMap((id) => {
    const post = world.posts.youtube.get(id);
    return post === undefined ? [] : [video(post, req.nowMs)];
  });

  return {
    route,
    body: {
      kind: 'youtube#videoListResponse',
      etag: 'sim',
      pageInfo: { totalResults: items.length, resultsPerPage: items.length },
      items,
    },
  };
}

/** Answers a request under `/youtube`. */
export function youtubeRoutes(req: SimRequest, world: World): SimReply | undefined {
  if (req.path === '/' || req.path === '')
    return { route: 'youtube root', body: { kind: 'youtube#sim', status: 'ok' } };
  if (req.path !== '/playlistItems' && req.path !== '/videos') return undefined;
  if ((req.query.get('key') ?? '') === '') {
    return googleError(
      `youtube ${req.path.slice(1)}`,
      400,
      'keyInvalid',
      'API key not valid. Please pass a valid API key.',
    );
  }

  return req.path === '/playlistItems' ? playlistItems(req, world) : videos(req, world);
}
