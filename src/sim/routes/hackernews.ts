/**
 * The simulated Hacker News Firebase API: users with `submitted` ids newest first, items
 * (`null` for unknown ids, as Firebase answers) and `maxitem`.
 * @internal
 */
import type { SimReply, SimRequest } from '../types.ts';
import { countsAt } from '../world.ts';
import type { SimPost, World } from '../world.ts';
import { findAccount } from './common.ts';

function item(post: SimPost, nowMs: number): Record<string, unknown> {
  const counts = countsAt(post, nowMs);
  const time = Math.floor(post.createdMs / 1000);
  if (post.kind === 'reply') {
    const text = post.content.body
      .split('\n')
      .map((line) => line.replace(/&/g, '&amp;').replace(/</g, '&lt;'))
      .join('<p>');
    return {
      by: post.account.handle,
      id: Number(post.id),
      parent: Number(post.id) - 5,
      text,
      time,
      type: 'comment',
    };
  }

  return {
    by: post.account.handle,
    descendants: counts.replies,
    id: Number(post.id),
    kids: [],
    score: Math.max(1, counts.likes),
    time,
    title: post.content.title,
    type: 'story',
    ...(post.mediaKind === 'link'
      ? { url: `https://example.com/${post.id}` }
      : { text: post.content.body }),
  };
}

/** Answers a request under `/hackernews`. */
export function hackernewsRoutes(req: SimRequest, world: World): SimReply | undefined {
  if (req.path === '/maxitem.json') {
    const ids = [...world.posts.hackernews.keys()].map(Number);
    return { route: 'hackernews maxitem', body: ids.length === 0 ? 0 : Math.max(...ids) };
  }
  const user = /^\/user\/([^/]+)\.json$/.exec(req.path);
  if (user?.[1] !== undefined) {
    const account = findAccount(world, 'hackernews', decodeURIComponent(user[1]));
    const body =
      account === undefined
        ? null
        : {
            id: account.handle,
            created: Math.floor(world.startMs / 1000) - 86_400 * 900,
            karma: Math.round(account.medianEngagement * 300),
            submitted: account.posts.map((post) => Number(post.id)),
          };
    return { route: 'hackernews user', body };
  }
  const itemMatch = /^\/item\/(\d+)\.json$/.exec(req.path);
  if (itemMatch?.[1] !== undefined) {
    const post = world.posts.hackernews.get(itemMatch[1]);
    return { route: 'hackernews item', body: post === undefined ? null : item(post, req.nowMs) };
  }

  return undefined;
}
