/**
 * Content patterns: features of a post whose values are the bandit's arms (`feature=value`).
 * Simple lexical rules, pure and deterministic, so the same post always maps to the same arms.
 * Which features are used, the length buckets, the time zone of the posting slot and weekday,
 * and extra tone words are options (`engine.patterns` in the config).
 */
import type { Post } from '../../platforms/types.ts';

/** The features, in the order arms are listed. */
export const FEATURES = ['hook', 'length', 'media', 'hashtags', 'slot', 'weekday', 'tone'] as const;
export type Feature = (typeof FEATURES)[number];

/** One value per feature. */
export type Patterns = Record<Feature, string>;

const QUOTE_START = /^["“”'‘«>]/;
const HOW_TO = /^(how to|how i|how we|here'?s how|a guide|guide to|tutorial|step[- ]by[- ]step)\b/i;
const NUMBER_LIST =
  /^(top\s+)?\d+\s+(\w+\s+)?(ways|things|tips|reasons|lessons|steps|ideas|rules|tools|books|mistakes|facts)\b/i;
const LIST_LINES = /(^|\n)\s*1[.)]\s+\S[\s\S]*\n\s*2[.)]\s+\S/;
const QUESTION_WORD =
  /^(who|what|when|where|why|how|which|is|are|do|does|did|can|could|should|would|will|have|has)\b/i;

const POSITIVE: ReadonlySet<string> = new Set(
  'love loved loving great amazing awesome happy excited best thanks thank win won wonderful beautiful good proud congrats congratulations glad brilliant fantastic excellent delighted fun cool nice incredible success'.split(
    ' ',
  ),
);
const NEGATIVE: ReadonlySet<string> = new Set(
  'hate hated bad worst sad angry fail failed failure broken terrible awful wrong problem bug sucks annoying disappointed disappointing horrible ugly lost lose scary worried crisis outage dead'.split(
    ' ',
  ),
);

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** The first sentence: text up to the first `.`, `!`, `?` or line break, terminator included. */
export function firstSentence(text: string): string {
  const trimmed = text.trim();
  const match = /^[\s\S]*?([.!?]+|\n|$)/.exec(trimmed);

  return (match?.[0] ?? trimmed).trim();
}

/** question / number-list / how-to / quote / exclamation / statement, judged on the first sentence. */
export function hookOf(text: string): string {
  const trimmed = text.trim();
  const sentence = firstSentence(trimmed);
  if (QUOTE_START.test(sentence)) return 'quote';
  if (HOW_TO.test(sentence)) return 'how-to';
  if (NUMBER_LIST.test(sentence) || LIST_LINES.test(trimmed)) return 'number-list';
  if (sentence.endsWith('?') || (QUESTION_WORD.test(sentence) && !sentence.endsWith('.'))) {
    return 'question';
  }
  if (sentence.endsWith('!')) return 'exclamation';

  return 'statement';
}

/** Upper bounds of the short and medium length buckets, in code points. */
export const DEFAULT_LENGTH_BREAKS: readonly [number, number] = [80, 280];

/**
 * short (< 80 characters), medium (< 280) or long, counted in code points of the trimmed text;
 * `breaks` moves the two bounds.
 */
export function lengthOf(
  text: string,
  breaks: readonly [number, number] = DEFAULT_LENGTH_BREAKS,
): string {
  const trimmed = text.trim();
  let length = 0;
  // Code points, so an emoji counts once, as people count characters: skip low surrogates.
  for (let i = 0; i < trimmed.length; i++) {
    const code = trimmed.charCodeAt(i);
    if (code < 0xdc00 || code > 0xdfff) length++;
  }
  if (length < breaks[0]) return 'short';
  if (length < breaks[1]) return 'medium';

  return 'long';
}

/** none, 1-2 or 3+ hashtags. */
export function hashtagsOf(hashtags: readonly string[]): string {
  if (hashtags.length === 0) return 'none';

  return hashtags.length <= 2 ? '1-2' : '3+';
}

/** Hour (0-23) and weekday (0 = Sunday) of a time in a time zone, or null when unreadable. */
function clockOf(createdAt: string, timeZone: string): { hour: number; day: number } | null {
  const date = new Date(createdAt);
  if (Number.isNaN(date.getTime())) return null;
  if (timeZone === 'UTC') return { hour: date.getUTCHours(), day: date.getUTCDay() };

  const parts = zoneFormat(timeZone).formatToParts(date);
  const hour = Number(parts.find((part) => part.type === 'hour')?.value);
  const weekday = parts.find((part) => part.type === 'weekday')?.value.toLowerCase() ?? '';
  const day = WEEKDAYS.indexOf(weekday.slice(0, 3) as (typeof WEEKDAYS)[number]);

  // Some engines print midnight as 24 with hourCycle h23 unsupported; fold it back.
  return { hour: hour % 24, day };
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per time zone: building one costs far more than using it. */
function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hour: 'numeric',
      hourCycle: 'h23',
      weekday: 'short',
    });
    zoneFormats.set(timeZone, format);
  }

  return format;
}

/** The posting slot in `timeZone` (default UTC): night 0-5, morning 6-11, afternoon 12-17, evening 18-23. */
export function slotOf(createdAt: string, timeZone = 'UTC'): string {
  const clock = clockOf(createdAt, timeZone);
  if (clock === null || Number.isNaN(clock.hour)) return 'unknown';
  if (clock.hour < 6) return 'night';
  if (clock.hour < 12) return 'morning';

  return clock.hour < 18 ? 'afternoon' : 'evening';
}

/** The weekday in `timeZone` (default UTC): mon..sun, or unknown for an unreadable time. */
export function weekdayOf(createdAt: string, timeZone = 'UTC'): string {
  const clock = clockOf(createdAt, timeZone);

  return (clock === null ? undefined : WEEKDAYS[clock.day]) ?? 'unknown';
}

/** positive / negative / neutral by counting words of two lists (the built-in ones by default). */
export function toneOf(
  text: string,
  positive: ReadonlySet<string> = POSITIVE,
  negative: ReadonlySet<string> = NEGATIVE,
): string {
  let balance = 0;
  for (const word of text.toLowerCase().match(/[a-z']+/g) ?? []) {
    if (positive.has(word)) balance++;
    else if (negative.has(word)) balance--;
  }
  if (balance > 0) return 'positive';

  return balance < 0 ? 'negative' : 'neutral';
}

/** How posts are turned into arms; every field is optional. */
export interface PatternOptions {
  /** Features that become arms, listed in `FEATURES` order. Default: all of them. */
  features?: readonly Feature[];
  /** Upper bounds of the short and medium length buckets, code points. Default [80, 280]. */
  lengthBreaks?: readonly [number, number];
  /** IANA time zone of the posting slot and weekday, e.g. `Europe/Paris`. Default `UTC`. */
  timeZone?: string;
  /** Words added to the built-in positive list (lowercase). Default none. */
  positiveWords?: readonly string[];
  /** Words added to the built-in negative list (lowercase). Default none. */
  negativeWords?: readonly string[];
}

/** Turns posts into pattern values and arms under one set of options. */
export interface PatternExtractor {
  /** The features in use, in `FEATURES` order. */
  readonly features: readonly Feature[];
  /** Every feature's value for a post (features not in use included). */
  patterns(post: Post): Patterns;
  /** The post's arms as `feature=value`, for the features in use. */
  arms(post: Post): string[];
}

/**
 * Creates an extractor; word lists and the time zone are prepared once.
 * @example
 * const extractor = createPatternExtractor({ timeZone: 'America/New_York', features: ['hook', 'slot'] });
 * extractor.arms(post); // ['hook=question', 'slot=evening']
 */
export function createPatternExtractor(options: PatternOptions = {}): PatternExtractor {
  const wanted = new Set(options.features ?? FEATURES);
  const features = FEATURES.filter((feature) => wanted.has(feature));
  const breaks = options.lengthBreaks ?? DEFAULT_LENGTH_BREAKS;
  const timeZone = options.timeZone ?? 'UTC';
  const lower = (words: readonly string[] | undefined) => (words ?? []).map((w) => w.toLowerCase());
  const positive = new Set([...POSITIVE, ...lower(options.positiveWords)]);
  const negative = new Set([...NEGATIVE, ...lower(options.negativeWords)]);

  const patterns = (post: Post): Patterns => ({
    hook: hookOf(post.text),
    length: lengthOf(post.text, breaks),
    media: post.mediaKind,
    hashtags: hashtagsOf(post.hashtags),
    slot: slotOf(post.createdAt, timeZone),
    weekday: weekdayOf(post.createdAt, timeZone),
    tone: toneOf(post.text, positive, negative),
  });

  return {
    features,
    patterns,
    arms: (post) => {
      const values = patterns(post);
      return features.map((feature) => `${feature}=${values[feature]}`);
    },
  };
}

const defaultExtractor = createPatternExtractor();

/** Every feature's value for a post, with the default options. */
export function extractPatterns(post: Post): Patterns {
  return defaultExtractor.patterns(post);
}

/** A post's arms as `feature=value`, in `FEATURES` order, with the default options. */
export function patternArms(post: Post): string[] {
  return defaultExtractor.arms(post);
}

/** Splits an arm `feature=value` at its first `=`. */
export function parseArm(arm: string): { feature: string; value: string } {
  const at = arm.indexOf('=');
  if (at < 0) return { feature: arm, value: '' };

  return { feature: arm.slice(0, at), value: arm.slice(at + 1) };
}
