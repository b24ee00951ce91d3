/**
 * Bluesky through the public AppView: `app.bsky.feed.getAuthorFeed` pages an account by its
 * `cursor` field, `app.bsky.feed.getPosts` re-reads up to 25 posts per request.
 */
import { toCounts } from './counts.ts';
import { ParseScope, chunk, isRecord, optionalString, resolvePageSize } from './parse.ts';
import type { JsonRecord } from './parse.ts';
import { hashtagsInText, uniqueTags } from './text.ts';
import type {
  AccountSpec,
  AdapterContext,
  MediaKind,
  Page,
  PlatformAdapter,
  Post,
} from './types.ts';
import type { RequestRateLimit } from '../http/types.ts';

/** The AppView sends the IETF `ratelimit-*` fields, with the reset as epoch seconds. */
const RATE_LIMIT: RequestRateLimit = { dialect: 'ietf' };

/** Options of the Bluesky adapter. */
export interface BlueskyAdapterOptions {
  /** AppView origin. Default: https://public.api.bsky.app. */
  baseUrl?: string | undefined;
  /** Posts per page, at most 100. Default: 50. */
  pageSize?: number | undefined;
}

const DEFAULT_BASE_URL = 'https://public.api.bsky.app';
const MAX_PAGE_SIZE = 100;
const BATCH_SIZE = 25;

function mediaKindOf(embed: unknown): MediaKind {
  if (!isRecord(embed)) return 'none';
  // Views carry a `#view` suffix (app.bsky.embed.images#view); records do not.
  const type = optionalString(embed.$type).replace(/#view$/, '');
  switch (type) {
    case 'app.bsky.embed.images': {
      const images = Array.isArray(embed.images) ? embed.images.length : 1;
      return images > 1 ? 'gallery' : 'image';
    }
    case 'app.bsky.embed.video':
      return 'video';
    case 'app.bsky.embed.external':
      return 'link';
    case 'app.bsky.embed.record':
      return 'other';
    case 'app.bsky.embed.recordWithMedia':
      return mediaKindOf(embed.media);
    default:
      return type === '' ? 'none' : 'other';
  }
}

function hashtagsOf(record: JsonRecord, text: string): string[] {
  const tags: string[] = [];
  const facets = Array.isArray(record.facets) ? record.facets : [];
  for (const facet of facets) {
    const features = isRecord(facet) && Array.isArray(facet.features) ? facet.features : [];
    for (const feature of features) {
      if (isRecord(feature) && feature.$type === 'app.bsky.richtext.facet#tag') {
        tags.push(optionalString(feature.tag));
      }
    }
  }

  return uniqueTags([...tags, ...hashtagsInText(text)]);
}

/** The Bluesky adapter. */
export class BlueskyAdapter implements PlatformAdapter {
  readonly name = 'bluesky' as const;
  readonly batchSize = BATCH_SIZE;
  readonly #baseUrl: string;
  readonly #pageSize: number | undefined;

  constructor(options: BlueskyAdapterOptions = {}) {
    this.#baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.#pageSize = options.pageSize;
  }

  /** One page of `getAuthorFeed`; `account.id` is a handle or DID, `options.filter` is passed on. */
  async fetchPage(account: AccountSpec, cursor: string | null, ctx: AdapterContext): Promise<Page> {
    const url = `${this.#baseUrl}/xrpc/app.bsky.feed.getAuthorFeed`;
    const limit = resolvePageSize(account.pageSize, this.#pageSize, 50, MAX_PAGE_SIZE);
    const res = await ctx.http.request(url, {
      query: { actor: account.id, filter: account.options?.filter, limit, cursor },
      signal: ctx.signal,
      rateLimit: RATE_LIMIT,
    });
    const scope = new ParseScope('bluesky', `${account.id} page`, res.url);
    const body = scope.record(scope.json(res), 'the body');
    const feed = scope.array(body.feed, 'feed');
    const observedAt = ctx.now().toISOString();

    const posts = feed.map((item, index) => {
      const entry = scope.record(item, `feed[${index}]`);
      const reason = isRecord(entry.reason) ? optionalString(entry.reason.$type) : '';
      const isRepost = reason === 'app.bsky.feed.defs#reasonRepost';
      return this.#toPost(
        scope,
        entry.post,
        `feed[${index}].post`,
        account.id,
        observedAt,
        isRepost,
      );
    });
    const next =
      typeof body.cursor === 'string' && body.cursor !== '' && posts.length > 0
        ? body.cursor
        : null;

    return { posts, next };
  }

  /** Re-reads posts by at:// URI through `getPosts`, 25 per request. */
  async lookup(postIds: readonly string[], ctx: AdapterContext): Promise<Post[]> {
    const url = `${this.#baseUrl}/xrpc/app.bsky.feed.getPosts`;
    const pages = await Promise.all(
      chunk(postIds, BATCH_SIZE).map(async (uris) => {
        const res = await ctx.http.request(url, {
          query: { uris },
          signal: ctx.signal,
          rateLimit: RATE_LIMIT,
        });
        const scope = new ParseScope('bluesky', 'lookup', res.url);
        const body = scope.record(scope.json(res), 'the body');
        const observedAt = ctx.now().toISOString();
        return scope
          .array(body.posts, 'posts')
          .map((post, index) =>
            this.#toPost(scope, post, `posts[${index}]`, null, observedAt, false),
          );
      }),
    );

    return pages.flat();
  }

  /** The AppView's health endpoint, which answers `{"version": ...}`. */
  healthUrl(): string {
    return `${this.#baseUrl}/xrpc/_health`;
  }

  #toPost(
    scope: ParseScope,
    value: unknown,
    field: string,
    account: string | null,
    observedAt: string,
    isRepost: boolean,
  ): Post {
    const post = scope.record(value, field);
    const uri = scope.string(post.uri, `${field}.uri`);
    const record = scope.record(post.record, `${field}.record`);
    const author = isRecord(post.author) ? post.author : {};
    const handle = optionalString(author.handle) || optionalString(author.did);
    const createdAt = scope.time(record.createdAt ?? post.indexedAt, `${field}.record.createdAt`);
    const text = optionalString(record.text);
    const rkey = uri.split('/').pop() ?? '';

    return {
      platform: 'bluesky',
      postId: uri,
      account: account ?? handle,
      url: handle !== '' && rkey !== '' ? `https://bsky.app/profile/${handle}/post/${rkey}` : null,
      createdAt,
      text,
      kind: isRepost ? 'repost' : isRecord(record.reply) ? 'reply' : 'original',
      mediaKind: mediaKindOf(post.embed ?? record.embed),
      hashtags: hashtagsOf(record, text),
      counts: toCounts({
        likes: post.likeCount,
        replies: post.replyCount,
        reposts: post.repostCount,
        quotes: post.quoteCount,
      }),
      observedAt,
    };
  }
}

/** Creates the Bluesky adapter. */
export function createBlueskyAdapter(options: BlueskyAdapterOptions = {}): BlueskyAdapter {
  return new BlueskyAdapter(options);
}
