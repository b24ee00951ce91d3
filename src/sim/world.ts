/**
 * The simulated world: accounts per platform, each with its own engagement scale (log-normal
 * across accounts), posts whose engagement is log-normal around the account median (sigma 0.6,
 * heavy tail), and about 3% planted viral outliers at 30-90x the median. Everything is drawn
 * from seeded streams, so one seed always yields the same world.
 * @internal
 */
import type { MediaKind, PlatformName, PostKind } from '../platforms/types.ts';
import { asPlainText, drawContent, drawHour, drawMediaKind } from './content.ts';
import type { Content } from './content.ts';
import { createRandom } from './random.ts';
import type { Random } from './random.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Engagement grows over a post's first 48 hours, then stays put. */
const GROWTH_WINDOW_MS = 48 * HOUR_MS;
const GROWTH_TAU_MS = 12 * HOUR_MS;
const HISTORY_DAYS = 30;
/** Planted outliers are at least this old, so their counts are fully grown when read. */
const VIRAL_MIN_AGE_MS = 3 * DAY_MS;

/** Median engagement (likes, points) of a typical account, per platform. */
const PLATFORM_MEDIANS: Record<PlatformName, number> = {
  bluesky: 15,
  mastodon: 6,
  reddit: 40,
  youtube: 300,
  hackernews: 8,
};

const KIND_WEIGHTS: Record<PlatformName, Partial<Record<PostKind, number>>> = {
  bluesky: { original: 80, reply: 12, repost: 8 },
  mastodon: { original: 80, reply: 12, repost: 8 },
  reddit: { original: 1 },
  youtube: { original: 1 },
  hackernews: { original: 70, reply: 30 },
};

const NAMES = [
  'ada',
  'grace',
  'alan',
  'edsger',
  'barbara',
  'ken',
  'linus',
  'margaret',
  'donald',
  'frances',
];
const B32_SORTABLE = '234567abcdefghijklmnopqrstuvwxyz';
const YT_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Per-post ratios of secondary counts to the main engagement figure. */
export interface Ratios {
  reposts: number;
  replies: number;
  quotes: number;
  views: number;
  upvoteRatio: number;
}

/** The author of a reposted (reblogged) post, someone outside the simulated accounts. */
export interface Origin {
  id: string;
  handle: string;
  did: string;
  createdMs: number;
  engagement: number;
}

/** One simulated post. */
export interface SimPost {
  platform: PlatformName;
  account: SimAccount;
  /** The id adapters report: Bluesky at:// URI, Mastodon status id, Reddit fullname, video id, HN id. */
  id: string;
  createdMs: number;
  content: Content;
  /** Title, body and hashtags as one text, for platforms without titles. */
  text: string;
  kind: PostKind;
  mediaKind: MediaKind;
  /** Fully grown engagement (likes or points) before rounding. */
  engagement: number;
  isViral: boolean;
  ratios: Ratios;
  /** YouTube hides some like counts. */
  isLikeHidden: boolean;
  /** Older Mastodon statuses come without `quotes_count`. */
  hasQuotesCount: boolean;
  repostOf: Origin | null;
}

/** One simulated account. */
export interface SimAccount {
  platform: PlatformName;
  /** The id as configured (`accounts[].id`). */
  key: string;
  /** Handle, user name or channel title. */
  handle: string;
  /** Bluesky DID, Mastodon numeric id, Reddit name, YouTube channel id, HN user id. */
  platformId: string;
  /** Reddit: whether the key is a subreddit. */
  isSubreddit: boolean;
  medianEngagement: number;
  /** Newest first. */
  posts: SimPost[];
}

/** Options of the world. */
export interface WorldOptions {
  seed: number;
  accounts: Record<PlatformName, number>;
  postsPerAccount: number;
  /** The simulator's start; posts spread over the 30 days before it. */
  startMs: number;
}

/** The whole simulated world, with lookups by id. */
export interface World {
  startMs: number;
  accounts: SimAccount[];
  /** Platform → id → post (reposted originals included for Bluesky lookups). */
  posts: Record<PlatformName, Map<string, SimPost>>;
  byKey: Map<string, SimAccount>;
}

/** Engagement at `nowMs`: grows over the first 48 hours (normalised to reach 1 there). */
export function maturity(createdMs: number, nowMs: number): number {
  const age = nowMs - createdMs;
  if (age <= 0) return 0;
  if (age >= GROWTH_WINDOW_MS) return 1;

  return (1 - Math.exp(-age / GROWTH_TAU_MS)) / (1 - Math.exp(-GROWTH_WINDOW_MS / GROWTH_TAU_MS));
}

/** Counts of a post at `nowMs`, before platform-specific shaping. */
export interface SimCounts {
  likes: number;
  reposts: number;
  replies: number;
  quotes: number;
  views: number;
}

/** The post's counts at `nowMs` (deterministic given the time). */
export function countsAt(post: SimPost, nowMs: number): SimCounts {
  const engagement = post.engagement * maturity(post.createdMs, nowMs);

  return {
    likes: Math.round(engagement),
    reposts: Math.round(engagement * post.ratios.reposts),
    replies: Math.round(engagement * post.ratios.replies),
    quotes: Math.round(engagement * post.ratios.quotes),
    views: Math.round(engagement * post.ratios.views),
  };
}

function accountFor(platform: PlatformName, index: number, seed: number): SimAccount {
  const random = createRandom(seed, platform, index, 'account');
  const name = `${NAMES[index % NAMES.length]}${index}`;
  const base = {
    platform,
    isSubreddit: false,
    medianEngagement: random.logNormal(PLATFORM_MEDIANS[platform], 0.9),
    posts: [],
  };
  switch (platform) {
    case 'bluesky': {
      const handle = `${name}.sim.bsky.social`;
      return {
        ...base,
        key: handle,
        handle,
        platformId: `did:plc:${random.string(24, B32_SORTABLE)}`,
      };
    }
    case 'mastodon': {
      const id = String(110_000_000_000_000_000n + BigInt(index) * 7_919n);
      // The first account is configured by name, exercising the adapter's acct lookup.
      return { ...base, key: index === 0 ? name : id, handle: name, platformId: id };
    }
    case 'reddit': {
      const isSubreddit = index % 2 === 1;
      const redditName = isSubreddit ? `sim${name}` : `${name}_sim`;
      return {
        ...base,
        isSubreddit,
        key: `${isSubreddit ? 'r' : 'u'}/${redditName}`,
        handle: redditName,
        platformId: redditName,
      };
    }
    case 'youtube': {
      const channelId = `UC${random.string(22, YT_ALPHABET)}`;
      return { ...base, key: channelId, handle: `${name} channel`, platformId: channelId };
    }
    case 'hackernews':
      return { ...base, key: name, handle: name, platformId: name };
  }
}

/** A creation time `random` days back at a drawn hour, unique within the platform. */
function drawCreatedMs(
  random: Random,
  startMs: number,
  used: Set<number>,
  minAgeMs: number,
): number {
  const daysBack = random.uniform(0, HISTORY_DAYS);
  const day = Math.floor((startMs - daysBack * DAY_MS) / DAY_MS) * DAY_MS;
  let createdMs = day + drawHour(random) * HOUR_MS + random.int(0, HOUR_MS - 1);
  while (createdMs > startMs - Math.max(minAgeMs, 60_000)) createdMs -= DAY_MS;
  if (createdMs < startMs - HISTORY_DAYS * DAY_MS) createdMs += DAY_MS;
  // Unique times keep cursors (Bluesky) and snowflake ids (Mastodon) unambiguous.
  while (used.has(createdMs)) createdMs += 1;
  used.add(createdMs);

  return createdMs;
}

function drawPost(
  account: SimAccount,
  index: number,
  seed: number,
  startMs: number,
  used: Set<number>,
): SimPost {
  const random = createRandom(seed, account.platform, account.key, 'post', index);
  const kind = random.weighted(KIND_WEIGHTS[account.platform] as Record<PostKind, number>);
  const content = drawContent(random);
  const createdMs = drawCreatedMs(random, startMs, used, 0);
  // Heavy tail: now and then a post does several times better, still short of the planted 30x.
  const tail = random.chance(0.05) ? Math.exp(Math.abs(random.normal())) : 1;
  const raw = random.logNormal(account.medianEngagement, 0.6) * tail * (kind === 'reply' ? 0.4 : 1);
  const engagement = Math.min(raw, account.medianEngagement * 8);
  const repostOf =
    kind === 'repost'
      ? {
          id: '',
          handle: `friend${random.int(1, 50)}.bsky.social`,
          did: `did:plc:${random.string(24, B32_SORTABLE)}`,
          createdMs: createdMs - random.int(1, 48) * HOUR_MS,
          engagement: random.logNormal(account.medianEngagement * 2, 0.8),
        }
      : null;

  return {
    platform: account.platform,
    account,
    id: '',
    createdMs,
    content,
    text: asPlainText(content),
    kind,
    mediaKind:
      account.platform === 'hackernews' && kind === 'reply'
        ? 'none'
        : drawMediaKind(account.platform, random),
    engagement,
    isViral: false,
    ratios: {
      reposts: random.uniform(0.08, 0.25),
      replies: random.uniform(0.04, 0.15),
      quotes: random.uniform(0.005, 0.04),
      views: random.uniform(20, 80),
      upvoteRatio: random.uniform(0.85, 0.98),
    },
    isLikeHidden: account.platform === 'youtube' && random.chance(0.06),
    hasQuotesCount: !random.chance(0.1),
    repostOf,
  };
}

/**
 * Turns about 3% of an account's eligible originals into 30-90x outliers. Well clear of the
 * ordinary spread (capped at 8x) and of the young posts still growing, which widen an
 * account's baseline until the engine compares posts at equal age.
 */
function plantViral(
  account: SimAccount,
  seed: number,
  startMs: number,
  postsPerAccount: number,
): void {
  const random = createRandom(seed, account.platform, account.key, 'viral');
  const wanted = postsPerAccount >= 10 ? Math.max(1, Math.round(postsPerAccount * 0.03)) : 0;
  const eligible = account.posts.filter(
    (post) =>
      post.kind === 'original' &&
      startMs - post.createdMs >= VIRAL_MIN_AGE_MS &&
      !post.isLikeHidden,
  );
  for (let planted = 0; planted < wanted && eligible.length > 0; planted += 1) {
    const [post] = eligible.splice(random.int(0, eligible.length - 1), 1);
    if (post === undefined) break;
    post.isViral = true;
    post.engagement = account.medianEngagement * random.uniform(30, 90);
  }
}

/** TID-like record key: microseconds and a clock id in 13 sortable base32 characters. */
function tid(createdMs: number, clockId: number): string {
  let value = ((BigInt(createdMs) * 1000n) << 10n) | BigInt(clockId & 1023);
  let text = '';
  for (let index = 0; index < 13; index += 1) {
    text = B32_SORTABLE[Number(value & 31n)]! + text;
    value >>= 5n;
  }

  return text;
}

/** Gives every post its platform id; ids that encode time follow creation order. */
function assignIds(platform: PlatformName, posts: SimPost[], seed: number): void {
  const byTime = [...posts].sort((a, b) => a.createdMs - b.createdMs);
  const random = createRandom(seed, platform, 'ids');
  const used = new Set<string>();
  byTime.forEach((post, rank) => {
    switch (platform) {
      case 'bluesky':
        // A repost is reported by the reposted post's URI, as the feed's post view carries it.
        if (post.repostOf !== null) {
          post.repostOf.id = `at://${post.repostOf.did}/app.bsky.feed.post/${tid(post.repostOf.createdMs, rank)}`;
          post.id = post.repostOf.id;
        } else {
          post.id = `at://${post.account.platformId}/app.bsky.feed.post/${tid(post.createdMs, rank)}`;
        }
        break;
      case 'mastodon':
        // Mastodon ids are snowflakes: milliseconds shifted left 16 bits plus a sequence.
        post.id = String((BigInt(post.createdMs) << 16n) | BigInt(rank & 0xffff));
        if (post.repostOf !== null)
          post.repostOf.id = String((BigInt(post.repostOf.createdMs) << 16n) | 0xfffen);
        break;
      case 'reddit':
        post.id = `t3_${(1_200_000_000 + rank).toString(36)}`;
        break;
      case 'youtube': {
        let id = random.string(11, YT_ALPHABET);
        while (used.has(id)) id = random.string(11, YT_ALPHABET);
        used.add(id);
        post.id = id;
        break;
      }
      case 'hackernews':
        post.id = String(40_000_000 + rank * 17);
        break;
    }
  });
}

/** Builds the world for a seed. */
export function createWorld(options: WorldOptions): World {
  const accounts: SimAccount[] = [];
  const posts = {} as Record<PlatformName, Map<string, SimPost>>;
  for (const platform of Object.keys(options.accounts) as PlatformName[]) {
    const used = new Set<number>();
    const platformPosts: SimPost[] = [];
    for (let index = 0; index < options.accounts[platform]; index += 1) {
      const account = accountFor(platform, index, options.seed);
      for (let postIndex = 0; postIndex < options.postsPerAccount; postIndex += 1) {
        account.posts.push(drawPost(account, postIndex, options.seed, options.startMs, used));
      }
      account.posts.sort((a, b) => b.createdMs - a.createdMs);
      plantViral(account, options.seed, options.startMs, options.postsPerAccount);
      platformPosts.push(...account.posts);
      accounts.push(account);
    }
    assignIds(platform, platformPosts, options.seed);
    posts[platform] = new Map(platformPosts.map((post) => [post.id, post]));
  }

  return {
    startMs: options.startMs,
    accounts,
    posts,
    byKey: new Map(accounts.map((account) => [`${account.platform}:${account.key}`, account])),
  };
}
