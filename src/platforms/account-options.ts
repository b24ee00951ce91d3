/**
 * What each platform accepts in an account's `options`, and which accounts name the same listing.
 * The config checks both at load, so a misspelt option or a listing Reddit does not have stops
 * the program before any work instead of failing that account at scrape time. The adapters read
 * the same lists, so the two cannot drift apart.
 */
import { z } from 'zod';
import type { AccountSpec, PlatformName } from './types.ts';

/** Listings of a Reddit user (`u/name`); the first is the default. */
export const REDDIT_USER_LISTINGS = ['submitted', 'overview', 'comments'] as const;
/** Listings of a subreddit (`r/name`); the first is the default. */
export const REDDIT_SUBREDDIT_LISTINGS = ['new', 'hot', 'top', 'rising'] as const;
/** Orders of a Reddit user listing (`sort=`). */
const REDDIT_SORTS = ['new', 'hot', 'top', 'controversial'] as const;
/** Time windows of Reddit's `top` and `controversial` orders (`t=`). */
const REDDIT_TIMES = ['hour', 'day', 'week', 'month', 'year', 'all'] as const;
/** Filters of Bluesky's `app.bsky.feed.getAuthorFeed` (its lexicon's known values). */
const BLUESKY_FILTERS = [
  'posts_with_replies',
  'posts_no_replies',
  'posts_with_media',
  'posts_and_author_threads',
  'posts_with_video',
] as const;

/** A problem with one account, as a path below the account and a message. */
export interface AccountIssue {
  path: (string | number)[];
  message: string;
  input: unknown;
}

const oneOf = (values: readonly string[]): string =>
  values.map((value) => JSON.stringify(value)).join('|');

const choice = (values: readonly [string, ...string[]], what: string) =>
  z.enum(values, { error: `expected one of ${oneOf(values)} (${what})` }).optional();

/** A Reddit account id split up: `r/name` is a subreddit; `u/name`, `user/name` or a bare name a user. */
export function parseRedditId(id: string): { isSubreddit: boolean; name: string } {
  const match = /^\/?(r|u|user)\/([^/]+)\/?$/i.exec(id);
  return { isSubreddit: match?.[1]?.toLowerCase() === 'r', name: match?.[2] ?? id };
}

/** `r/name` (any case, optional slashes) is a subreddit; `u/name`, `user/name` or a bare name a user. */
export function isSubreddit(id: string): boolean {
  return parseRedditId(id).isSubreddit;
}

/**
 * The YouTube playlist an id stands for: a channel `UC…` lists its uploads `UU…`; an uploads or
 * ordinary playlist id (`UU…`, `PL…`) is itself. Null for anything else (a channel name).
 */
export function playlistOfId(id: string): string | null {
  if (/^UC[\w-]{10,}$/.test(id)) return `UU${id.slice(2)}`;
  if (/^(UU|PL)[\w-]{10,}$/.test(id)) return id;
  return null;
}

/** A YouTube playlist or channel id: letters, digits, `-` and `_`. */
const YOUTUBE_ID = /^[\w-]{10,}$/;

type OptionsSchema = z.ZodObject<Record<string, z.ZodType>>;

// Built once: config validation checks every account, and building a zod schema costs far more
// than using one.
const SUBREDDIT_OPTIONS: OptionsSchema = z
  .object({
    listing: choice(REDDIT_SUBREDDIT_LISTINGS, 'the listings of a subreddit'),
    time: choice(REDDIT_TIMES, 'the window of listing top'),
  })
  .strict();
const REDDIT_USER_OPTIONS: OptionsSchema = z
  .object({
    listing: choice(REDDIT_USER_LISTINGS, 'the listings of a user'),
    sort: choice(REDDIT_SORTS, 'the orders of a user listing'),
    time: choice(REDDIT_TIMES, 'the window of sort top or controversial'),
  })
  .strict();
const BLUESKY_OPTIONS: OptionsSchema = z
  .object({ filter: choice(BLUESKY_FILTERS, "getAuthorFeed's filters") })
  .strict();
const YOUTUBE_OPTIONS: OptionsSchema = z
  .object({
    playlist: z
      .string()
      .regex(YOUTUBE_ID, 'expected a playlist id such as "PLOU2XLYxmsIK..." or "UU..."')
      .optional(),
  })
  .strict();

function schemaFor(platform: PlatformName, id: string): OptionsSchema | null {
  switch (platform) {
    case 'reddit':
      return isSubreddit(id) ? SUBREDDIT_OPTIONS : REDDIT_USER_OPTIONS;
    case 'bluesky':
      return BLUESKY_OPTIONS;
    case 'youtube':
      return YOUTUBE_OPTIONS;
    case 'mastodon':
    case 'hackernews':
      return null;
    default:
      return null;
  }
}

/** Why an option is unknown, with the likely mistake when there is one. */
function unknownOption(account: AccountSpec, key: string, schema: OptionsSchema): string {
  const known = Object.keys(schema.shape).join(', ');
  const hint =
    account.platform === 'reddit' && key === 'sort' && isSubreddit(account.id)
      ? '; a subreddit is ordered by its listing (new, hot, top, rising)'
      : '';

  return `unknown option for a ${describeAccount(account)}; expected ${known}${hint}`;
}

/**
 * Checks an account's id and `options` against what its platform's adapter reads. Returns every
 * problem found (empty when the account is fine); paths are relative to the account.
 *
 * @example
 * accountIssues({ platform: 'reddit', id: 'u/spez', options: { listing: 'bogus' } });
 * // [{ path: ['options', 'listing'], message: 'expected one of "submitted"|... (the listings of a user)', input: 'bogus' }]
 */
export function accountIssues(account: AccountSpec): AccountIssue[] {
  const options = account.options ?? {};
  const schema = schemaFor(account.platform, account.id);
  const issues: AccountIssue[] = [];

  if (schema === null) {
    for (const [key, value] of Object.entries(options)) {
      issues.push({
        path: ['options', key],
        message: `unknown option: ${account.platform} accounts take no options`,
        input: value,
      });
    }
  } else {
    const result = schema.safeParse(options);
    for (const issue of result.success ? [] : result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          issues.push({
            path: ['options', key],
            message: unknownOption(account, key, schema),
            input: options[key],
          });
        }
        continue;
      }
      const key = issue.path[0];
      issues.push({
        path: [
          'options',
          ...issue.path.map((part) => (typeof part === 'number' ? part : String(part))),
        ],
        message: issue.message,
        input: typeof key === 'string' ? options[key] : options,
      });
    }
  }

  return [...issues, ...combinationIssues(account)];
}

function describeAccount(account: AccountSpec): string {
  if (account.platform !== 'reddit') return `${account.platform} account`;
  return isSubreddit(account.id) ? 'subreddit' : 'reddit user';
}

/** Options that are each valid but mean nothing together, and ids an adapter cannot read. */
function combinationIssues(account: AccountSpec): AccountIssue[] {
  const options = account.options ?? {};
  if (account.platform === 'reddit' && options.time !== undefined) {
    const isTimed = isSubreddit(account.id)
      ? options.listing === 'top'
      : options.sort === 'top' || options.sort === 'controversial';
    if (!isTimed) {
      const needs = isSubreddit(account.id) ? 'listing: top' : 'sort: top or sort: controversial';
      return [
        {
          path: ['options', 'time'],
          message: `time applies only with ${needs}; Reddit ignores it otherwise`,
          input: options.time,
        },
      ];
    }
  }
  if (account.platform === 'youtube' && options.playlist === undefined) {
    if (playlistOfId(account.id) === null) {
      return [
        {
          path: ['id'],
          message:
            'expected a channel id starting with "UC" (or a playlist id "UU..."/"PL..."); for a channel name, set options.playlist',
          input: account.id,
        },
      ];
    }
  }

  return [];
}

/**
 * A key that is equal for two accounts exactly when a scrape would read the same listing:
 * defaults filled in, and ids compared the way the platform does (Reddit and Bluesky names
 * ignore case; a YouTube channel and its uploads playlist are one listing).
 */
export function listingKey(account: AccountSpec): string {
  const options = account.options ?? {};
  switch (account.platform) {
    case 'reddit': {
      const { isSubreddit: isSub, name: rawName } = parseRedditId(account.id);
      const name = rawName.toLowerCase();
      const listing = isSub
        ? `r/${name}/${options.listing ?? REDDIT_SUBREDDIT_LISTINGS[0]}`
        : `u/${name}/${options.listing ?? REDDIT_USER_LISTINGS[0]}`;
      return `reddit ${listing}?sort=${options.sort ?? ''}&time=${options.time ?? ''}`;
    }
    case 'bluesky':
      return `bluesky ${account.id.toLowerCase()}?filter=${options.filter ?? BLUESKY_FILTERS[0]}`;
    case 'youtube': {
      const playlist = options.playlist ?? account.id;
      return `youtube ${playlistOfId(playlist) ?? playlist}`;
    }
    case 'mastodon':
    case 'hackernews':
      return `${account.platform} ${account.id}`;
    default:
      return `${String(account.platform)} ${account.id}`;
  }
}
