/** Platform adapters: one per platform, the common post shape and count normalisation. */
export { PLATFORM_NAMES } from './types.ts';
export type {
  AccountSpec,
  AdapterContext,
  Counts,
  MediaKind,
  Page,
  PlatformAdapter,
  PlatformName,
  Post,
  PostKind,
} from './types.ts';
export { emptyCounts, parseCount, parseScore, toCounts } from './counts.ts';
export { parseLinkHeader, findLink } from './link-header.ts';
export type { WebLink } from './link-header.ts';
export { htmlToText, hashtagsInText } from './text.ts';
export { BlueskyAdapter, createBlueskyAdapter } from './bluesky.ts';
export type { BlueskyAdapterOptions } from './bluesky.ts';
export { MastodonAdapter, createMastodonAdapter } from './mastodon.ts';
export type { MastodonAdapterOptions } from './mastodon.ts';
export { RedditAdapter, createRedditAdapter, redditListingPath } from './reddit.ts';
export type { RedditAdapterOptions } from './reddit.ts';
export { YoutubeAdapter, createYoutubeAdapter, youtubePlaylistId } from './youtube.ts';
export type { YoutubeAdapterOptions } from './youtube.ts';
export { HackernewsAdapter, createHackernewsAdapter } from './hackernews.ts';
export type { HackernewsAdapterOptions } from './hackernews.ts';
export { createAdapter, createAdapters } from './registry.ts';
export type { Env, PlatformsConfig } from './registry.ts';
