/** The common post shape and the adapter contract every platform implements. */
import type { HttpClient } from '../http/types.ts';
import type { Logger } from '../observe/logger.ts';

export const PLATFORM_NAMES = ['bluesky', 'mastodon', 'reddit', 'youtube', 'hackernews'] as const;
export type PlatformName = (typeof PLATFORM_NAMES)[number];

export type PostKind = 'original' | 'reply' | 'repost';
export type MediaKind = 'none' | 'image' | 'video' | 'link' | 'gallery' | 'poll' | 'other';

/**
 * Engagement counts as the platform reported them. `null` means the platform did not report
 * the count (missing, hidden or not applicable); it is never replaced by a made-up zero.
 */
export interface Counts {
  views: number | null;
  likes: number | null;
  replies: number | null;
  reposts: number | null;
  quotes: number | null;
  /** A platform's own score (Reddit score, Hacker News points). */
  score: number | null;
}

export interface Post {
  platform: PlatformName;
  /** The platform's id of the post (Reddit fullname, Bluesky at:// URI, Mastodon status id, ...). */
  postId: string;
  /** The account key as configured (handle, user name, channel id). */
  account: string;
  url: string | null;
  /** ISO 8601. */
  createdAt: string;
  text: string;
  kind: PostKind;
  mediaKind: MediaKind;
  hashtags: string[];
  counts: Counts;
  /** ISO 8601 time these counts were observed. */
  observedAt: string;
}

/** One page of an account's listing. */
export interface Page {
  posts: Post[];
  /** The cursor of the next page, or null at the end of the listing. */
  next: string | null;
}

/** One configured account, as the config schema validated it. */
export interface AccountSpec {
  platform: PlatformName;
  /** Handle, user name, subreddit (`r/name`), channel id or Mastodon account id. */
  id: string;
  /** Page size asked of the platform. */
  pageSize?: number | undefined;
  /** Stop after this many pages in one run. */
  maxPages?: number | undefined;
  /** Platform-specific listing options (Reddit `listing`, `sort`, `time`; ...). */
  options?: Record<string, string> | undefined;
}

export interface AdapterContext {
  http: HttpClient;
  signal: AbortSignal;
  logger: Logger;
  /** The current time, injectable for tests. */
  now: () => Date;
}

export interface PlatformAdapter {
  readonly name: PlatformName;
  /** Ids the batch lookup endpoint takes per request (1 where there is none). */
  readonly batchSize: number;
  /** Fetches one page of an account's posts. Raises `ParseError` for a malformed page. */
  fetchPage(account: AccountSpec, cursor: string | null, ctx: AdapterContext): Promise<Page>;
  /** Re-reads the counts of known posts in as few requests as the batch endpoint allows. */
  lookup(postIds: readonly string[], ctx: AdapterContext): Promise<Post[]>;
  /** A URL whose 2xx answer means the platform's API is up. */
  healthUrl(): string;
  /**
   * Why the adapter cannot authenticate (credentials missing from the environment), or null.
   * Lets the health task report it once instead of every account failing alike. Optional:
   * platforms read without credentials leave it out.
   */
  credentialsProblem?(): string | null;
}
