/**
 * Content patterns: features of a post whose values are the bandit's arms (`feature=value`).
 * Simple lexical rules, pure and deterministic, so the same post always maps to the same arms.
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

const POSITIVE = new Set(
  'love loved loving great amazing awesome happy excited best thanks thank win won wonderful beautiful good proud congrats congratulations glad brilliant fantastic excellent delighted fun cool nice incredible success'.split(
    ' ',
  ),
);
const NEGATIVE = new Set(
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

/** short (< 80 characters), medium (< 280) or long, counted in code points of the trimmed text. */
export function lengthOf(text: string): string {
  const trimmed = text.trim();
  let length = 0;
  // Code points, so an emoji counts once, as people count characters: skip low surrogates.
  for (let i = 0; i < trimmed.length; i++) {
    const code = trimmed.charCodeAt(i);
    if (code < 0xdc00 || code > 0xdfff) length++;
  }
  if (length < 80) return 'short';
  if (length < 280) return 'medium';

  return 'long';
}

/** none, 1-2 or 3+ hashtags. */
export function hashtagsOf(hashtags: readonly string[]): string {
  if (hashtags.length === 0) return 'none';

  return hashtags.length <= 2 ? '1-2' : '3+';
}

/** The UTC posting slot: night 0-5, morning 6-11, afternoon 12-17, evening 18-23. */
export function slotOf(createdAt: string): string {
  const hour = new Date(createdAt).getUTCHours();
  if (Number.isNaN(hour)) return 'unknown';
  if (hour < 6) return 'night';
  if (hour < 12) return 'morning';

  return hour < 18 ? 'afternoon' : 'evening';
}

/** The UTC weekday: mon..sun, or unknown for an unreadable time. */
export function weekdayOf(createdAt: string): string {
  const day = new Date(createdAt).getUTCDay();

  return WEEKDAYS[day] ?? 'unknown';
}

/** positive / negative / neutral by counting words of two small lists. */
export function toneOf(text: string): string {
  let balance = 0;
  for (const word of text.toLowerCase().match(/[a-z']+/g) ?? []) {
    if (POSITIVE.has(word)) balance++;
    else if (NEGATIVE.has(word)) balance--;
  }
  if (balance > 0) return 'positive';

  return balance < 0 ? 'negative' : 'neutral';
}

/** Every feature's value for a post. */
export function extractPatterns(post: Post): Patterns {
  return {
    hook: hookOf(post.text),
    length: lengthOf(post.text),
    media: post.mediaKind,
    hashtags: hashtagsOf(post.hashtags),
    slot: slotOf(post.createdAt),
    weekday: weekdayOf(post.createdAt),
    tone: toneOf(post.text),
  };
}

/** A post's arms as `feature=value`, in `FEATURES` order. */
export function patternArms(post: Post): string[] {
  const patterns = extractPatterns(post);

  return FEATURES.map((feature) => `${feature}=${patterns[feature]}`);
}

/** Splits an arm `feature=value` at its first `=`. */
export function parseArm(arm: string): { feature: string; value: string } {
  const at = arm.indexOf('=');
  if (at < 0) return { feature: arm, value: '' };

  return { feature: arm.slice(0, at), value: arm.slice(at + 1) };
}
