/**
 * Mastodon (any instance): `/api/v1/accounts/:id/statuses` pages by the `max_id` of the Link
 * header's `rel="next"` target; `/api/v1/statuses?id[]=` (4.3+) re-reads 20 statuses at once,
 * with a remembered fallback to one request per status on older instances.
 *
 * A reblog becomes a `repost` post whose id and counts are those of the outer (reblog) status,
 * which is what the account's timeline and `max_id` paging refer to, and whose text and media
 * are the reblogged status's: the engagement of someone else's post is not credited to this
 * account, while the content stays analysable.
 */
import { isHttpStatusError } from '../errors.ts';
import { toCounts } from './counts.ts';
import { findLink } from './link-header.ts';
import { ParseScope, chunk, isRecord, optionalString, resolvePageSize } from './parse.ts';
import type { JsonRecord } from './parse.ts';
import { hashtagsInText, htmlToText, uniqueTags } from './text.ts';
import type {
  AccountSpec,
  AdapterContext,
  MediaKind,
  Page,
  PlatformAdapter,
  Post,
} from './types.ts';
import type { RequestRateLimit } from '../http/types.ts';

/**
 * Mastodon limits unauthenticated reads per IP, announced in `x-ratelimit-*` with an ISO 8601
 * reset: the origin as a whole is the key.
 */
const RATE_LIMIT: RequestRateLimit = { dialect: 'mastodon' };

/** Options of the Mastodon adapter. */
export interface MastodonAdapterOptions {
  /** Instance origin. Default: https://mastodon.social. */
  baseUrl?: string | undefined;
  /** Statuses per page; Mastodon caps it at 40. Default: 40. */
  pageSize?: number | undefined;
}

const DEFAULT_BASE_URL = 'https://mastodon.social';
const MAX_PAGE_SIZE = 40;
const BATCH_SIZE = 20;

function mediaKindOf(status: JsonRecord): MediaKind {
  const media: unknown[] = Array.isArray(status.media_attachments) ? status.media_attachments : [];
  const first = media[0];
  if (isRecord(first)) {
    const type = optionalString(first.type);
    if (type === 'video' || type === 'gifv') return 'video';
    if (type === 'image') return media.length > 1 ? 'gallery' : 'image';
    return 'other';
  }
  if (isRecord(status.poll)) return 'poll';
  if (isRecord(status.card)) return 'link';

  return 'none';
}

function tagsOf(status: JsonRecord, text: string): string[] {
  const tags = Array.isArray(status.tags) ? status.tags : [];
  const named = tags.map((tag) => (isRecord(tag) ? optionalString(tag.name) : ''));

  return uniqueTags([...named, ...hashtagsInText(text)]);
}

/** The Mastodon adapter. */
export class MastodonAdapter implements PlatformAdapter {
  readonly name = 'mastodon' as const;
  readonly batchSize = BATCH_SIZE;
  readonly #baseUrl: string;
  readonly #pageSize: number | undefined;
  readonly #accountIds = new Map<string, Promise<string>>();
  /** Whether `/api/v1/statuses?id[]=` exists here: unknown until the first batch answers. */
  #batchSupport: 'unknown' | 'supported' | 'unsupported' = 'unknown';
  /** The first batch while it finds that out. */
  #batchProbe: Promise<Post[]> | null = null;

  constructor(options: MastodonAdapterOptions = {}) {
    this.#baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.#pageSize = options.pageSize;
  }

  /** One page of an account's statuses; `account.id` is numeric or an acct (`name[@domain]`). */
  async fetchPage(account: AccountSpec, cursor: string | null, ctx: AdapterContext): Promise<Page> {
    const id = await this.#resolveAccount(account.id, ctx);
    const limit = resolvePageSize(account.pageSize, this.#pageSize, MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    const res = await ctx.http.request(`${this.#baseUrl}/api/v1/accounts/${id}/statuses`, {
      query: { limit, max_id: cursor },
      signal: ctx.signal,
      rateLimit: RATE_LIMIT,
    });
    const scope = new ParseScope('mastodon', `${account.id} page`, res.url);
    const statuses = scope.array(scope.json(res), 'the body');
    const observedAt = ctx.now().toISOString();
    const posts = statuses.map((status, index) =>
      this.#toPost(scope, status, `[${index}]`, account.id, observedAt),
    );

    return { posts, next: posts.length === 0 ? null : nextMaxId(res.headers.link) };
  }

  /** Re-reads statuses, 20 per request, or one by one where the batch endpoint is missing. */
  async lookup(postIds: readonly string[], ctx: AdapterContext): Promise<Post[]> {
    const pages = await Promise.all(
      chunk(postIds, BATCH_SIZE).map((ids) => this.#lookupBatch(ids, ctx)),
    );

    return pages.flat();
  }

  /** `/api/v1/instance`: public, cheap, and proves the API (not just the web server) answers. */
  healthUrl(): string {
    return `${this.#baseUrl}/api/v1/instance`;
  }

  async #lookupBatch(ids: string[], ctx: AdapterContext): Promise<Post[]> {
    // While one batch finds out whether the instance has the endpoint, the others wait for the
    // answer instead of each being refused: a pre-4.3 instance then costs one refused request,
    // not one per batch in flight.
    while (this.#batchProbe !== null) await this.#batchProbe.catch(() => undefined);
    if (this.#batchSupport === 'unsupported') return this.#lookupEach(ids, ctx);
    if (this.#batchSupport === 'supported') return this.#fetchBatch(ids, ctx);

    const probe = this.#fetchBatch(ids, ctx);
    this.#batchProbe = probe;
    try {
      const posts = await probe;
      this.#batchSupport = 'supported';
      return posts;
    } catch (error) {
      // Instances before 4.3 have no multi-get: 404 (no route) or 400 (id required). Any other
      // failure leaves the question open for the next batch.
      if (!isHttpStatusError(error) || (error.status !== 404 && error.status !== 400)) throw error;
      this.#batchSupport = 'unsupported';
      ctx.logger.warn(
        { platform: 'mastodon', status: error.status },
        'batch lookup unsupported, one by one',
      );
      return this.#lookupEach(ids, ctx);
    } finally {
      if (this.#batchProbe === probe) this.#batchProbe = null;
    }
  }

  async #fetchBatch(ids: string[], ctx: AdapterContext): Promise<Post[]> {
    const res = await ctx.http.request(`${this.#baseUrl}/api/v1/statuses`, {
      query: { 'id[]': ids },
      signal: ctx.signal,
      rateLimit: RATE_LIMIT,
    });
    const scope = new ParseScope('mastodon', 'lookup', res.url);
    const observedAt = ctx.now().toISOString();

    return scope
      .array(scope.json(res), 'the body')
      .map((status, index) => this.#toPost(scope, status, `[${index}]`, null, observedAt));
  }

  async #lookupEach(ids: string[], ctx: AdapterContext): Promise<Post[]> {
    const posts = await Promise.all(ids.map((id) => this.#lookupOne(id, ctx)));
    return posts.filter((post): post is Post => post !== null);
  }

  async #lookupOne(id: string, ctx: AdapterContext): Promise<Post | null> {
    try {
      const res = await ctx.http.request(
        `${this.#baseUrl}/api/v1/statuses/${encodeURIComponent(id)}`,
        {
          signal: ctx.signal,
          rateLimit: RATE_LIMIT,
        },
      );
      const scope = new ParseScope('mastodon', 'lookup', res.url);
      return this.#toPost(scope, scope.json(res), 'the body', null, ctx.now().toISOString());
    } catch (error) {
      // A deleted status is simply absent, as the batch endpoint omits it too.
      if (isHttpStatusError(error) && error.status === 404) return null;
      throw error;
    }
  }

  #resolveAccount(id: string, ctx: AdapterContext): Promise<string> {
    if (/^\d+$/.test(id)) return Promise.resolve(id);
    const acct = id.replace(/^@/, '');
    let resolved = this.#accountIds.get(acct);
    if (resolved === undefined) {
      resolved = this.#lookupAccount(acct, ctx);
      this.#accountIds.set(acct, resolved);
      // A failed resolution must not stick; the next page may try again.
      void resolved.catch(() => this.#accountIds.delete(acct));
    }

    return resolved;
  }

  async #lookupAccount(acct: string, ctx: AdapterContext): Promise<string> {
    const res = await ctx.http.request(`${this.#baseUrl}/api/v1/accounts/lookup`, {
      query: { acct },
      signal: ctx.signal,
      rateLimit: RATE_LIMIT,
    });
    const scope = new ParseScope('mastodon', `${acct} account lookup`, res.url);
    const account = scope.record(scope.json(res), 'the body');

    return scope.id(account.id, 'id');
  }

  #toPost(
    scope: ParseScope,
    value: unknown,
    field: string,
    account: string | null,
    observedAt: string,
  ): Post {
    const status = scope.record(value, field);
    const id = scope.id(status.id, `${field}.id`);
    const createdAt = scope.time(status.created_at, `${field}.created_at`);
    const reblog = isRecord(status.reblog) ? status.reblog : null;
    const content = reblog ?? status;
    const text = htmlToText(optionalString(content.content));
    const author = isRecord(status.account) ? optionalString(status.account.acct) : '';

    return {
      platform: 'mastodon',
      postId: id,
      account: account ?? author,
      url:
        optionalString(status.url) ||
        optionalString(reblog?.url) ||
        optionalString(status.uri) ||
        null,
      createdAt,
      text,
      kind: reblog !== null ? 'repost' : status.in_reply_to_id != null ? 'reply' : 'original',
      mediaKind: mediaKindOf(content),
      hashtags: tagsOf(content, text),
      counts: toCounts({
        likes: status.favourites_count,
        replies: status.replies_count,
        reposts: status.reblogs_count,
        quotes: status.quotes_count,
      }),
      observedAt,
    };
  }
}

/** The `max_id` of the Link header's next target, or null at the end. */
function nextMaxId(link: string | undefined): string | null {
  const next = findLink(link, 'next');
  if (next === null) return null;
  try {
    return new URL(next, 'http://relative.invalid').searchParams.get('max_id');
  } catch {
    // An unparseable next target ends the listing rather than looping on a bad cursor.
    return null;
  }
}

/** Creates the Mastodon adapter. */
export function createMastodonAdapter(options: MastodonAdapterOptions = {}): MastodonAdapter {
  return new MastodonAdapter(options);
}
