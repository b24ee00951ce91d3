/**
 * The streaming import of `flywheel bench --scale`: seeded posts, as varied as the simulator's,
 * generated one page at a time and written through `Store.upsertPosts` as the scraper writes each
 * page it reads. Only one page exists at a time, so the process's memory should not grow with
 * the number of posts; the bench measures whether it does.
 */
import type { Post } from '../platforms/types.ts';
import { asPlainText, drawContent, drawMediaKind } from '../sim/content.ts';
import { createRandom } from '../sim/random.ts';
import type { Store } from '../store/types.ts';

/** Posts per imported account: a million posts are a thousand accounts' histories. */
const POSTS_PER_ACCOUNT = 1_000;
const HOUR_MS = 3_600_000;

/**
 * Yields `total` posts in pages of `pageSize`, as a scrape reads them: account after account,
 * each account's posts newest first, spread over the 30 days before `nowMs`. The same seed
 * yields the same posts.
 */
export function* generatePages(
  total: number,
  pageSize: number,
  seed: number,
  nowMs: number,
): Generator<Post[]> {
  const random = createRandom(seed, 'bench import');
  const observedAt = new Date(nowMs).toISOString();
  const stepMs = (30 * 24 * HOUR_MS) / POSTS_PER_ACCOUNT;
  let page: Post[] = [];
  for (let index = 0; index < total; index++) {
    const accountIndex = Math.floor(index / POSTS_PER_ACCOUNT);
    const position = index % POSTS_PER_ACCOUNT;
    // A new account starts a new page, as a listing does.
    if (page.length > 0 && (page.length === pageSize || position === 0)) {
      yield page;
      page = [];
    }
    const content = drawContent(random);
    const likes = Math.round(random.logNormal(20, 0.9));
    const account = `importer${accountIndex}.bsky.social`;
    const key = position.toString(36).padStart(4, '0');
    page.push({
      platform: 'bluesky',
      postId: `at://did:plc:import${accountIndex}/app.bsky.feed.post/${key}`,
      account,
      url: `https://bsky.app/profile/${account}/post/${key}`,
      createdAt: new Date(nowMs - (position + random.uniform(0, 1)) * stepMs).toISOString(),
      text: asPlainText(content),
      kind: 'original',
      mediaKind: drawMediaKind('bluesky', random),
      hashtags: content.hashtags,
      counts: {
        views: null,
        likes,
        replies: Math.round(likes * 0.1),
        reposts: Math.round(likes * 0.15),
        quotes: Math.round(likes * 0.02),
        score: null,
      },
      observedAt,
    });
  }
  if (page.length > 0) yield page;
}

/** What the import wrote. */
export interface ImportFigures {
  posts: number;
  pages: number;
  wallMs: number;
}

/** Writes every generated page into `store`, one transaction per page. */
export function importPosts(
  store: Store,
  options: { posts: number; pageSize: number; seed: number; nowMs: number },
): ImportFigures {
  const started = performance.now();
  let posts = 0;
  let pages = 0;
  for (const page of generatePages(options.posts, options.pageSize, options.seed, options.nowMs)) {
    posts += store.upsertPosts(page).inserted;
    pages += 1;
  }

  return { posts, pages, wallMs: performance.now() - started };
}
