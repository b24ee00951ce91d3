/**
 * YouTube Data API v3: a channel's uploads playlist (`UC…` → `UU…`) is paged with
 * `playlistItems.list` by `nextPageToken`, and each page's counts come from ONE `videos.list`
 * call. Counts arrive as strings; a hidden like count is absent and stays null. Quota errors
 * (403 with reason quotaExceeded/dailyLimitExceeded) become a clear, non-retryable error.
 */
import { AuthError, ConfigError, HttpStatusError } from '../errors.ts';
import type { HttpRequestOptions, HttpResponse } from '../http/types.ts';
import { playlistOfId } from './account-options.ts';
import { toCounts } from './counts.ts';
import { ParseScope, chunk, isRecord, optionalString, resolvePageSize } from './parse.ts';
import type { JsonRecord } from './parse.ts';
import { hashtagsInText } from './text.ts';
import type { AccountSpec, AdapterContext, Page, PlatformAdapter, Post } from './types.ts';
import type { RequestRateLimit } from '../http/types.ts';

/** YouTube reports its quota in 403 bodies, not headers (see QUOTA_REASONS). */
const RATE_LIMIT: RequestRateLimit = { dialect: 'none' };

/** Options of the YouTube adapter. */
export interface YoutubeAdapterOptions {
  /** API root. Default: https://www.googleapis.com/youtube/v3. */
  baseUrl?: string | undefined;
  /** Videos per page, at most 50. Default: 50. */
  pageSize?: number | undefined;
  /** The API key; missing raises AuthError naming `apiKeyEnv` on first use. */
  apiKey?: string | undefined;
  /** Name of the environment variable the key came from, for error messages. */
  apiKeyEnv?: string | undefined;
}

const DEFAULT_BASE_URL = 'https://www.googleapis.com/youtube/v3';
/** Titles YouTube gives playlist entries of uploads that are no longer public. */
const HIDDEN_TITLES = new Set(['Private video', 'Deleted video']);

const MAX_PAGE_SIZE = 50;
const BATCH_SIZE = 50;
const QUOTA_REASONS = ['quotaExceeded', 'dailyLimitExceeded', 'rateLimitExceeded'];

/** The playlist listed for an account: `options.playlist`, a `UU…` id, or a channel's uploads. */
export function youtubePlaylistId(account: AccountSpec): string {
  const explicit = account.options?.playlist;
  if (explicit !== undefined && explicit !== '') return explicit;
  const playlist = playlistOfId(account.id);
  if (playlist !== null) return playlist;

  throw new ConfigError(
    `youtube account "${account.id}": expected a channel id starting with "UC" (or options.playlist)`,
  );
}

/** The reasons and message of a Google error envelope; empty when the body is not one. */
function errorEnvelope(res: HttpResponse): { reasons: string[]; message: string } {
  let body: unknown;
  try {
    body = JSON.parse(res.text());
  } catch {
    // An HTML or empty error page has no envelope; the status alone describes it.
    return { reasons: [], message: '' };
  }
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const errors: unknown[] = Array.isArray(error.errors) ? error.errors : [];
  const reasons = errors.map((entry) => (isRecord(entry) ? optionalString(entry.reason) : ''));

  return {
    reasons: reasons.filter((reason) => reason !== ''),
    message: optionalString(error.message).slice(0, 200),
  };
}

/** The YouTube adapter. */
export class YoutubeAdapter implements PlatformAdapter {
  readonly name = 'youtube' as const;
  readonly batchSize = BATCH_SIZE;
  readonly #baseUrl: string;
  readonly #options: YoutubeAdapterOptions;

  constructor(options: YoutubeAdapterOptions = {}) {
    this.#baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.#options = options;
  }

  /** One playlist page plus one videos call for its counts; the page fails if either fails. */
  async fetchPage(account: AccountSpec, cursor: string | null, ctx: AdapterContext): Promise<Page> {
    const playlistId = youtubePlaylistId(account);
    const key = this.#apiKey();
    const maxResults = resolvePageSize(
      account.pageSize,
      this.#options.pageSize,
      MAX_PAGE_SIZE,
      MAX_PAGE_SIZE,
    );
    const res = await this.#request('/playlistItems', ctx, {
      part: 'snippet,contentDetails',
      playlistId,
      maxResults,
      pageToken: cursor,
      key,
    });
    const scope = new ParseScope('youtube', `${account.id} page`, res.url);
    const body = scope.record(scope.json(res), 'the body');
    const items = scope.array(body.items ?? [], 'items');
    const entries = items.map((value, index) => {
      const item = scope.record(value, `items[${index}]`);
      const details = isRecord(item.contentDetails) ? item.contentDetails : {};
      const snippet = isRecord(item.snippet) ? item.snippet : {};
      const resource = isRecord(snippet.resourceId) ? snippet.resourceId : {};
      const videoId = scope.string(
        details.videoId ?? resource.videoId,
        `items[${index}].contentDetails.videoId`,
      );
      return { videoId, snippet, publishedAt: details.videoPublishedAt ?? snippet.publishedAt };
    });
    const token = body.nextPageToken;
    const next = typeof token === 'string' && token !== '' && entries.length > 0 ? token : null;
    if (entries.length === 0) return { posts: [], next };

    const videos = await this.#videos(
      entries.map((entry) => entry.videoId),
      `${account.id} page`,
      ctx,
    );
    const observedAt = ctx.now().toISOString();
    const posts: Post[] = [];
    for (const entry of entries) {
      const video = videos.byId.get(entry.videoId);
      if (video === undefined) {
        // Private and deleted uploads stay in the playlist under a placeholder title, but
        // videos.list omits them: they are not posts.
        if (HIDDEN_TITLES.has(optionalString(entry.snippet.title))) {
          ctx.logger.debug({ platform: 'youtube', videoId: entry.videoId }, 'hidden upload');
          continue;
        }
        // A public upload that videos.list did not return still exists: keep it from the
        // playlist snippet with unknown (null) counts rather than lose it.
        const bare = { id: entry.videoId, snippet: entry.snippet };
        posts.push(this.#toPost(videos.scope, bare, account.id, observedAt, entry.publishedAt));
        continue;
      }
      posts.push(this.#toPost(videos.scope, video, account.id, observedAt, entry.publishedAt));
    }

    return { posts, next };
  }

  /** Re-reads videos by id through `videos.list`, 50 per request. */
  async lookup(postIds: readonly string[], ctx: AdapterContext): Promise<Post[]> {
    const pages = await Promise.all(
      chunk(postIds, BATCH_SIZE).map(async (ids) => {
        const { scope, byId } = await this.#videos(ids, 'lookup', ctx);
        const observedAt = ctx.now().toISOString();
        return [...byId.values()].map((video) =>
          this.#toPost(scope, video, null, observedAt, undefined),
        );
      }),
    );

    return pages.flat();
  }

  /** The API root; the simulator answers 200 there, Google answers 404 (reachable, not 2xx). */
  healthUrl(): string {
    return this.#baseUrl;
  }

  /** Names the environment variable to set when the API key is missing. */
  credentialsProblem(): string | null {
    const key = this.#options.apiKey;
    if (key !== undefined && key !== '') return null;
    return `youtube API key missing: set the environment variable ${this.#options.apiKeyEnv ?? 'YOUTUBE_API_KEY'}`;
  }

  #apiKey(): string {
    const key = this.#options.apiKey;
    if (key === undefined || key === '') {
      const env = this.#options.apiKeyEnv ?? 'YOUTUBE_API_KEY';
      throw new AuthError(`youtube API key missing: set the environment variable ${env}`, {
        details: { platform: 'youtube', apiKeyEnv: env },
      });
    }

    return key;
  }

  async #videos(ids: string[], subject: string, ctx: AdapterContext) {
    const res = await this.#request('/videos', ctx, {
      part: 'snippet,statistics',
      id: ids.join(','),
      key: this.#apiKey(),
    });
    const scope = new ParseScope('youtube', subject, res.url);
    const body = scope.record(scope.json(res), 'the body');
    const byId = new Map<string, JsonRecord>();
    scope.array(body.items ?? [], 'items').forEach((value, index) => {
      const video = scope.record(value, `items[${index}]`);
      byId.set(scope.string(video.id, `items[${index}].id`), video);
    });

    return { scope, byId };
  }

  /**
   * Sends with `acceptStatus: 'any'` (the client still retries 5xx and 429 first) so the whole
   * error body can be judged: Google puts the quota reason past the first 300 characters.
   */
  async #request(
    path: string,
    ctx: AdapterContext,
    query: HttpRequestOptions['query'],
  ): Promise<HttpResponse> {
    const res = await ctx.http.request(`${this.#baseUrl}${path}`, {
      query,
      signal: ctx.signal,
      rateLimit: RATE_LIMIT,
      acceptStatus: 'any',
    });
    if (res.status >= 200 && res.status < 300) return res;

    const { reasons, message } = errorEnvelope(res);
    const quota = reasons.find((reason) => QUOTA_REASONS.includes(reason));
    if (res.status === 403 && quota !== undefined) {
      throw new HttpStatusError(
        403,
        `youtube quota exceeded (${quota}) on ${path}; it resets daily at midnight Pacific time`,
        { isRetryable: false, details: { platform: 'youtube', reason: quota } },
      );
    }
    const reasonText = reasons.length > 0 ? ` (${reasons.join(', ')})` : '';
    throw new HttpStatusError(
      res.status,
      `youtube ${path} answered ${res.status}${reasonText}${message === '' ? '' : `: ${message}`}`,
      {
        isRetryable: res.status >= 500 || res.status === 429,
        details: { platform: 'youtube', path, reason: reasons[0] },
      },
    );
  }

  #toPost(
    scope: ParseScope,
    video: JsonRecord,
    account: string | null,
    observedAt: string,
    fallbackTime: unknown,
  ): Post {
    const id = scope.string(video.id, 'items[].id');
    const snippet = isRecord(video.snippet) ? video.snippet : {};
    const stats = isRecord(video.statistics) ? video.statistics : {};
    const createdAt = scope.time(
      snippet.publishedAt ?? fallbackTime,
      `items[${id}].snippet.publishedAt`,
    );
    const title = optionalString(snippet.title);
    const description = optionalString(snippet.description);
    const text = [title, description].filter((part) => part !== '').join('\n\n');

    return {
      platform: 'youtube',
      postId: id,
      account: account ?? optionalString(snippet.channelId),
      url: `https://www.youtube.com/watch?v=${encodeURIComponent(id)}`,
      createdAt,
      text,
      kind: 'original',
      mediaKind: 'video',
      hashtags: hashtagsInText(text),
      counts: toCounts({
        views: stats.viewCount,
        likes: stats.likeCount,
        replies: stats.commentCount,
      }),
      observedAt,
    };
  }
}

/** Creates the YouTube adapter. */
export function createYoutubeAdapter(options: YoutubeAdapterOptions = {}): YoutubeAdapter {
  return new YoutubeAdapter(options);
}
