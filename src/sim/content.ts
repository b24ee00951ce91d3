/**
 * Varied post content for the simulator: hooks (question, number list, how-to, quote, story,
 * statement), lengths, hashtags and media, so pattern extraction has something to find.
 * @internal
 */
import type { MediaKind, PlatformName } from '../platforms/types.ts';
import type { Random } from './random.ts';

const TOPICS = [
  'TypeScript',
  'sourdough',
  'trail running',
  'home espresso',
  'indie games',
  'urban gardening',
  'Postgres',
  'film photography',
  'remote work',
  'budget travel',
  'climate data',
  'chess openings',
] as const;

const TAGS = [
  'buildinpublic',
  'til',
  'opensource',
  'photography',
  'coffee',
  'running',
  'gamedev',
  'data',
  'travel',
  'career',
];

const NAMES = [
  'Ada Lovelace',
  'Grace Hopper',
  'Marcus Aurelius',
  'Maya Angelou',
  'Seneca',
  'Octavia Butler',
];

/** The opening style of a post. */
export type Hook = 'question' | 'list' | 'howto' | 'quote' | 'story' | 'statement';

const HOOK_WEIGHTS: Record<Hook, number> = {
  question: 18,
  list: 16,
  howto: 14,
  quote: 8,
  story: 14,
  statement: 30,
};

/** Generated content of one post. */
export interface Content {
  hook: Hook;
  /** A headline (Reddit, YouTube, Hacker News titles). */
  title: string;
  /** The body text; may be empty for link posts. */
  body: string;
  hashtags: string[];
}

function headline(hook: Hook, topic: string, random: Random): string {
  const count = random.int(3, 12);
  switch (hook) {
    case 'question':
      return random.pick([
        `Why does nobody talk about ${topic} costs?`,
        `What is the one ${topic} habit you would never drop?`,
        `Is ${topic} overrated in ${random.int(2020, 2026)}?`,
      ]);
    case 'list':
      return `${count} ${random.pick(['lessons', 'mistakes', 'tools', 'tricks'])} from ${random.int(2, 15)} years of ${topic}`;
    case 'howto':
      return `How to get started with ${topic} in ${random.pick(['a weekend', '10 minutes a day', 'one month'])}`;
    case 'quote':
      return `"The obstacle is the way." (${random.pick(NAMES)}) on ${topic}`;
    case 'story':
      return `I tried ${topic} for ${count} days. Here is what happened`;
    case 'statement':
      return random.pick([
        `Notes on ${topic}`,
        `${topic} update`,
        `Small win with ${topic} today`,
        `Thinking about ${topic}`,
      ]);
  }
}

function body(hook: Hook, topic: string, random: Random): string {
  const length = random.weighted({ short: 45, medium: 35, long: 20 });
  const sentences =
    length === 'short' ? 1 : length === 'medium' ? random.int(2, 3) : random.int(4, 7);
  const parts: string[] = [];
  if (hook === 'list') {
    for (let step = 1; step <= Math.min(sentences + 2, 6); step += 1)
      parts.push(
        `${step}. ${random.pick(['Start small', 'Measure it', 'Write it down', 'Ask for feedback', 'Automate the boring part', 'Rest'])}`,
      );
    return parts.join('\n');
  }
  for (let index = 0; index < sentences; index += 1) {
    parts.push(
      random.pick([
        `Spent the morning on ${topic} and learned more than I expected.`,
        `The trick is consistency, not intensity.`,
        `Numbers so far: ${random.int(2, 99)}% better than last month.`,
        `Would love to hear how others approach this.`,
        `Thread below with details and links.`,
        `Honestly the hardest part was getting started.`,
        `This changed how I think about ${topic}.`,
      ]),
    );
  }

  return parts.join(' ');
}

/** Draws the content of one post. */
export function drawContent(random: Random): Content {
  const hook = random.weighted(HOOK_WEIGHTS);
  const topic = random.pick(TOPICS);
  const tagCount = random.weighted({ zero: 55, one: 25, two: 15, three: 5 });
  const hashtags = new Set<string>();
  const wanted = { zero: 0, one: 1, two: 2, three: 3 }[tagCount];
  while (hashtags.size < wanted) hashtags.add(random.pick(TAGS));

  return {
    hook,
    title: headline(hook, topic, random),
    body: body(hook, topic, random),
    hashtags: [...hashtags],
  };
}

/** The post text for platforms without titles: headline, body and hashtags. */
export function asPlainText(content: Content): string {
  const tags = content.hashtags.map((tag) => `#${tag}`).join(' ');

  return [content.title, content.body, tags].filter((part) => part !== '').join('\n\n');
}

const MEDIA_WEIGHTS: Record<PlatformName, Partial<Record<MediaKind, number>>> = {
  bluesky: { none: 50, image: 25, gallery: 8, video: 8, link: 9 },
  mastodon: { none: 55, image: 20, gallery: 5, video: 8, link: 10, poll: 2 },
  reddit: { none: 40, image: 25, video: 10, link: 20, gallery: 5 },
  youtube: { video: 1 },
  hackernews: { link: 80, none: 20 },
};

/** Draws a media kind with the platform's usual mix. */
export function drawMediaKind(platform: PlatformName, random: Random): MediaKind {
  return random.weighted(MEDIA_WEIGHTS[platform] as Record<MediaKind, number>);
}

/** Posting-hour weights (UTC): quiet at night, peaks mid-morning and evening. */
const HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 7, 6, 6, 6, 7, 8, 9, 10, 9, 7, 5, 3, 2];

/** Draws an hour of the day. */
export function drawHour(random: Random): number {
  const weights = Object.fromEntries(HOUR_WEIGHTS.map((weight, hour) => [String(hour), weight]));

  return Number(random.weighted(weights));
}
