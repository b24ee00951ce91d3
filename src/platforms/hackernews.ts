/**
 * Hacker News through the Firebase API: `/user/<id>.json` lists an account's submissions newest
 * first; a page is the next `pageSize` of those ids, each read with `/item/<id>.json`. The cursor
 * is the offset into that list. There is no batch endpoint, so lookups read one item each.
 */
import { ParseScope, optionalString, resolvePageSize } from './parse.ts';
import { toCounts } from './counts.ts';
import { hashtagsInText, htmlToText } from './text.ts';
import type {
  AccountSpec,
  AdapterContext,
  MediaKind,
  Page,
  PlatformAdapter,
  Post,
  PostKind,
} from './types.ts';
import type { RequestRateLimit } from '../http/types.ts';

/** The Hacker News API documents no limit and sends no limit headers. */
const RATE_LIMIT: RequestRateLimit = { dialect: 'none' };

/** Options of the Hacker News adapter. */
export interface HackernewsAdapterOptions {
  /** API root. Default: https://hacker-news.firebaseio.com/v0. */
  baseUrl?: string | undefined;
  /** Items per page. Default: 30. */
  pageSize?: number | undefined;
}

const DEFAULT_BASE_URL = 'https://hacker-news.firebaseio.com/v0';
const MAX_PAGE_SIZE = 500;

const KINDS: Record<string, PostKind> = {
  story: 'original',
  poll: 'original',
  job: 'original',
  comment: 'reply',
};

/** The Hacker News adapter. */
export class HackernewsAdapter implements PlatformAdapter {
  readonly name = 'hackernews' as const;
  readonly batchSize = 1;
  readonly #baseUrl: string;
  readonly #pageSize: number | undefined;
  /**
   * Submission lists read at the start of a walk, reused for its later pages so offsets stay
   * consistent even when the user posts meanwhile; a walk from the start reads it afresh.
   */
  readonly #submitted = new Map<string, number[]>();

  constructor(options: HackernewsAdapterOptions = {}) {
    this.#baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.#pageSize = options.pageSize;
  }

  /** One page of a user's submissions; deleted, dead and missing items are skipped. */
  async fetchPage(account: AccountSpec, cursor: string | null, ctx: AdapterContext): Promise<Page> {
    const offset = cursor === null ? 0 : Number(cursor);
    if (!Number.isSafeInteger(offset) || offset < 0) {
      const scope = new ParseScope('hackernews', `${account.id} page`, this.#userUrl(account.id));
      throw scope.error('the cursor', 'a non-negative integer offset', cursor);
    }

    const submitted = await this.#submissions(account.id, cursor === null, ctx);
    const size = resolvePageSize(account.pageSize, this.#pageSize, 30, MAX_PAGE_SIZE);
    const ids = submitted.slice(offset, offset + size);
    const items = await Promise.all(
      ids.map((id) => this.#item(id, `${account.id} page`, account.id, ctx)),
    );
    const end = offset + ids.length;

    return {
      posts: items.filter((post): post is Post => post !== null),
      next: ids.length > 0 && end < submitted.length ? String(end) : null,
    };
  }

  /** Re-reads items one request each (the API has no batch endpoint). */
  async lookup(postIds: readonly string[], ctx: AdapterContext): Promise<Post[]> {
    const items = await Promise.all(postIds.map((id) => this.#item(id, 'lookup', null, ctx)));

    return items.filter((post): post is Post => post !== null);
  }

  /** `/maxitem.json`: tiny, uncached and always present. */
  healthUrl(): string {
    return `${this.#baseUrl}/maxitem.json`;
  }

  #userUrl(id: string): string {
    return `${this.#baseUrl}/user/${encodeURIComponent(id)}.json`;
  }

  async #submissions(user: string, isFresh: boolean, ctx: AdapterContext): Promise<number[]> {
    const cached = this.#submitted.get(user);
    if (!isFresh && cached !== undefined) return cached;

    const res = await ctx.http.request(this.#userUrl(user), {
      signal: ctx.signal,
      rateLimit: RATE_LIMIT,
    });
    const scope = new ParseScope('hackernews', `${user} page`, res.url);
    const body = scope.json(res);
    if (body === null)
      throw scope.error('the body', 'a user object (is the user name right?)', body);
    const record = scope.record(body, 'the body');
    const submitted = scope.array(record.submitted ?? [], 'submitted').map((id, index) => {
      if (typeof id !== 'number' || !Number.isSafeInteger(id))
        throw scope.error(`submitted[${index}]`, 'an integer id', id);
      return id;
    });
    this.#submitted.set(user, submitted);

    return submitted;
  }

  async #item(
    id: number | string,
    subject: string,
    account: string | null,
    ctx: AdapterContext,
  ): Promise<Post | null> {
    const res = await ctx.http.request(
      `${this.#baseUrl}/item/${encodeURIComponent(String(id))}.json`,
      {
        signal: ctx.signal,
        rateLimit: RATE_LIMIT,
      },
    );
    const scope = new ParseScope('hackernews', subject, res.url);
    const body = scope.json(res);
    // Firebase answers `null` for ids that do not exist (yet); deleted and dead items carry flags.
    if (body === null) return null;
    const item = scope.record(body, `item ${id}`);
    if (item.deleted === true || item.dead === true) return null;
    const kind = KINDS[optionalString(item.type)];
    if (kind === undefined) return null;

    const itemId = scope.id(item.id, `item ${id}.id`);
    const createdAt = scope.time(item.time, `item ${id}.time`);
    const title = optionalString(item.title);
    const text = [title, htmlToText(optionalString(item.text))]
      .filter((part) => part !== '')
      .join('\n\n');
    const mediaKind: MediaKind =
      item.type === 'poll'
        ? 'poll'
        : typeof item.url === 'string' && item.url !== ''
          ? 'link'
          : 'none';

    return {
      platform: 'hackernews',
      postId: itemId,
      account: account ?? optionalString(item.by),
      url: `https://news.ycombinator.com/item?id=${itemId}`,
      createdAt,
      text,
      kind,
      mediaKind,
      hashtags: hashtagsInText(text),
      counts: toCounts({ score: item.score, replies: item.descendants }),
      observedAt: ctx.now().toISOString(),
    };
  }
}

/** Creates the Hacker News adapter. */
export function createHackernewsAdapter(options: HackernewsAdapterOptions = {}): HackernewsAdapter {
  return new HackernewsAdapter(options);
}
