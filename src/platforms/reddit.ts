/**
 * Reddit through OAuth app-only access: a client-credentials token from `{authUrl}` (cached until
 * a minute before it expires), listings from `{baseUrl}` paged by `data.after`, and
 * `/api/info?id=` re-reading 100 fullnames per request.
 */
import { AuthError, ConfigError, isHttpStatusError } from '../errors.ts';
import {
  parseRedditId,
  REDDIT_SUBREDDIT_LISTINGS,
  REDDIT_USER_LISTINGS,
} from './account-options.ts';
import { toCounts } from './counts.ts';
import { ParseScope, chunk, isRecord, optionalString, resolvePageSize } from './parse.ts';
import type { JsonRecord } from './parse.ts';
import { hashtagsInText } from './text.ts';
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
 * Reddit counts requests per OAuth client in `x-ratelimit-*` headers (used, a float remaining,
 * seconds to the reset); every request of this adapter shares the one app-only token.
 */
const RATE_LIMIT: RequestRateLimit = { dialect: 'reddit', key: 'app' };

/** Options of the Reddit adapter. */
export interface RedditAdapterOptions {
  /** API origin. Default: https://oauth.reddit.com. */
  baseUrl?: string | undefined;
  /** Token origin. Default: https://www.reddit.com. */
  authUrl?: string | undefined;
  /** Items per page, at most 100. Default: 100. */
  pageSize?: number | undefined;
  /** The OAuth app's client id; missing raises AuthError naming `clientIdEnv` on first use. */
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  /** Names of the environment variables the credentials came from, for error messages. */
  clientIdEnv?: string | undefined;
  clientSecretEnv?: string | undefined;
  /** Reddit asks every client for a descriptive User-Agent. */
  userAgent?: string | undefined;
}

const DEFAULT_BASE_URL = 'https://oauth.reddit.com';
const DEFAULT_AUTH_URL = 'https://www.reddit.com';
/** Reddit returns at most 100 items per page, whatever `limit` asks. */
const DEFAULT_PAGE_SIZE = 100;
/**
 * Largest `limit` sent. Reddit caps pages at 100 but accepts larger values; PRAW asks for 1024,
 * so allowing it keeps requests identical to recordings made with PRAW.
 */
const MAX_LIMIT = 1024;
const BATCH_SIZE = 100;
/** Renew this long before the token's announced expiry, so no request carries a dying token. */
const TOKEN_MARGIN_MS = 60_000;

interface Token {
  value: string;
  expiresAtMs: number;
}

/** The listing path of an account: `u/name` or a bare name is a user, `r/name` a subreddit. */
export function redditListingPath(account: AccountSpec): string {
  const parsed = parseRedditId(account.id);
  const name = encodeURIComponent(parsed.name);
  const listing = account.options?.listing;

  if (parsed.isSubreddit) {
    const chosen = listing ?? 'new';
    if (!(REDDIT_SUBREDDIT_LISTINGS as readonly string[]).includes(chosen)) {
      throw new ConfigError(
        `reddit account "${account.id}": options.listing "${chosen}" is not one of ${REDDIT_SUBREDDIT_LISTINGS.join(', ')}`,
      );
    }
    return `/r/${name}/${chosen}`;
  }

  const chosen = listing ?? 'submitted';
  if (!(REDDIT_USER_LISTINGS as readonly string[]).includes(chosen)) {
    throw new ConfigError(
      `reddit account "${account.id}": options.listing "${chosen}" is not one of ${REDDIT_USER_LISTINGS.join(', ')}`,
    );
  }
  // PRAW requests the overview as `/user/<name>/` with a trailing slash; so do we.
  return chosen === 'overview' ? `/user/${name}/` : `/user/${name}/${chosen}`;
}

function mediaKindOf(data: JsonRecord): MediaKind {
  if (data.is_gallery === true) return 'gallery';
  if (data.is_video === true) return 'video';
  if (isRecord(data.poll_data)) return 'poll';
  switch (data.post_hint) {
    case 'image':
      return 'image';
    case 'hosted:video':
    case 'rich:video':
      return 'video';
    case 'link':
      return 'link';
    case 'self':
      return 'none';
    default:
      break;
  }
  if (data.is_self === true) return 'none';

  return typeof data.url === 'string' && data.url !== '' ? 'link' : 'none';
}

/** The Reddit adapter. */
export class RedditAdapter implements PlatformAdapter {
  readonly name = 'reddit' as const;
  readonly batchSize = BATCH_SIZE;
  readonly #baseUrl: string;
  readonly #authUrl: string;
  readonly #options: RedditAdapterOptions;
  #token: Token | null = null;
  #pendingToken: Promise<Token> | null = null;

  constructor(options: RedditAdapterOptions = {}) {
    this.#baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.#authUrl = (options.authUrl ?? DEFAULT_AUTH_URL).replace(/\/+$/, '');
    this.#options = options;
  }

  /** One listing page; options `listing`, `sort`, `time` choose the listing (see the docs). */
  async fetchPage(account: AccountSpec, cursor: string | null, ctx: AdapterContext): Promise<Page> {
    const path = redditListingPath(account);
    const limit = resolvePageSize(
      account.pageSize,
      this.#options.pageSize,
      DEFAULT_PAGE_SIZE,
      MAX_LIMIT,
    );
    const query = {
      raw_json: 1,
      t: account.options?.time,
      sort: account.options?.sort,
      limit,
      after: cursor,
    };
    const body = await this.#get(path, query, `${account.id} page`, ctx);
    const { scope, data } = body;
    const children = scope.array(data.children, 'data.children');
    const observedAt = ctx.now().toISOString();
    const posts = children.flatMap((child, index) =>
      this.#toPost(scope, child, `data.children[${index}]`, account.id, observedAt),
    );
    const after = data.after;

    return { posts, next: typeof after === 'string' && after !== '' ? after : null };
  }

  /** Re-reads submissions and comments by fullname (`t3_x`, `t1_y`), 100 per request. */
  async lookup(postIds: readonly string[], ctx: AdapterContext): Promise<Post[]> {
    const pages = await Promise.all(
      chunk(postIds, BATCH_SIZE).map(async (ids) => {
        const { scope, data } = await this.#get(
          '/api/info',
          { id: ids.join(','), raw_json: 1 },
          'lookup',
          ctx,
        );
        const observedAt = ctx.now().toISOString();
        return scope
          .array(data.children, 'data.children')
          .flatMap((child, index) =>
            this.#toPost(scope, child, `data.children[${index}]`, null, observedAt),
          );
      }),
    );

    return pages.flat();
  }

  /** `{authUrl}/api/v1/scopes`: public JSON that needs no token, so a probe spends none. */
  healthUrl(): string {
    return `${this.#authUrl}/api/v1/scopes`;
  }

  async #get(
    path: string,
    query: Record<string, string | number | null | undefined>,
    subject: string,
    ctx: AdapterContext,
  ): Promise<{ scope: ParseScope; data: JsonRecord }> {
    const send = async () =>
      ctx.http.request(`${this.#baseUrl}${path}`, {
        query,
        headers: {
          authorization: `bearer ${(await this.#getToken(ctx)).value}`,
          'user-agent': this.#userAgent(),
        },
        signal: ctx.signal,
        rateLimit: RATE_LIMIT,
      });
    let res;
    try {
      res = await send();
    } catch (error) {
      // A token revoked early answers 401 once; a fresh token decides whether it is real.
      if (!isHttpStatusError(error) || error.status !== 401) throw error;
      this.#token = null;
      res = await send();
    }
    const scope = new ParseScope('reddit', subject, res.url);
    const body = scope.record(scope.json(res), 'the body');

    return { scope, data: scope.record(body.data, 'data') };
  }

  #userAgent(): string {
    return this.#options.userAgent ?? 'flywheel/0.1 (by flywheel)';
  }

  async #getToken(ctx: AdapterContext): Promise<Token> {
    if (this.#token !== null && this.#token.expiresAtMs > ctx.now().getTime()) return this.#token;
    // Concurrent pages share one exchange instead of racing for several tokens.
    this.#pendingToken ??= this.#requestToken(ctx).finally(() => {
      this.#pendingToken = null;
    });
    this.#token = await this.#pendingToken;

    return this.#token;
  }

  /** Names the environment variables to set when the OAuth credentials are missing. */
  credentialsProblem(): string | null {
    const { clientId, clientSecret } = this.#options;
    if (clientId && clientSecret) return null;

    const idEnv = this.#options.clientIdEnv ?? 'REDDIT_CLIENT_ID';
    const secretEnv = this.#options.clientSecretEnv ?? 'REDDIT_CLIENT_SECRET';
    return `reddit credentials missing: set the environment variables ${idEnv} and ${secretEnv}`;
  }

  async #requestToken(ctx: AdapterContext): Promise<Token> {
    const { clientId, clientSecret } = this.#options;
    const problem = this.credentialsProblem();
    if (problem !== null || !clientId || !clientSecret) {
      const idEnv = this.#options.clientIdEnv ?? 'REDDIT_CLIENT_ID';
      const secretEnv = this.#options.clientSecretEnv ?? 'REDDIT_CLIENT_SECRET';
      throw new AuthError(problem ?? 'reddit credentials missing', {
        details: { platform: 'reddit', clientIdEnv: idEnv, clientSecretEnv: secretEnv },
      });
    }

    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    const requestedAtMs = ctx.now().getTime();
    const res = await ctx.http.request(`${this.#authUrl}/api/v1/access_token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': this.#userAgent(),
      },
      body: 'grant_type=client_credentials',
      isIdempotent: false,
      signal: ctx.signal,
      rateLimit: RATE_LIMIT,
    });
    const scope = new ParseScope('reddit', 'token', res.url);
    const body = scope.record(scope.json(res), 'the body');
    const value = scope.string(body.access_token, 'access_token');
    const expiresInS =
      typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600;

    return { value, expiresAtMs: requestedAtMs + expiresInS * 1000 - TOKEN_MARGIN_MS };
  }

  #toPost(
    scope: ParseScope,
    value: unknown,
    field: string,
    account: string | null,
    observedAt: string,
  ): Post[] {
    const child = scope.record(value, field);
    const kind = child.kind;
    // Listings may hold `more` stubs or other kinds; only submissions and comments are posts.
    if (kind !== 't3' && kind !== 't1') return [];
    const data = scope.record(child.data, `${field}.data`);
    const name =
      typeof data.name === 'string' && data.name !== ''
        ? data.name
        : typeof data.id === 'string' && data.id !== ''
          ? `${kind}_${data.id}`
          : undefined;
    const postId = scope.string(name, `${field}.data.name`);
    const createdAt = scope.time(data.created_utc, `${field}.data.created_utc`);
    const permalink = optionalString(data.permalink);
    const author = optionalString(data.author);
    const isSubmission = kind === 't3';
    const selftext = optionalString(data.selftext);
    const text = isSubmission
      ? [optionalString(data.title), selftext].filter((part) => part !== '').join('\n\n')
      : optionalString(data.body);

    return [
      {
        platform: 'reddit',
        postId,
        account: account ?? (author === '' ? '' : `u/${author}`),
        url: permalink === '' ? null : `https://www.reddit.com${permalink}`,
        createdAt,
        text,
        kind: isSubmission ? 'original' : 'reply',
        mediaKind: isSubmission ? mediaKindOf(data) : 'none',
        hashtags: hashtagsInText(text),
        counts: toCounts({
          views: typeof data.view_count === 'number' ? data.view_count : null,
          likes: data.ups,
          replies: isSubmission ? data.num_comments : null,
          score: data.score,
        }),
        observedAt,
      },
    ];
  }
}

/** Creates the Reddit adapter. */
export function createRedditAdapter(options: RedditAdapterOptions = {}): RedditAdapter {
  return new RedditAdapter(options);
}
