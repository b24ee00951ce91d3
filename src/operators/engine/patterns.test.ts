import { describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.ts';
import {
  FEATURES,
  createPatternExtractor,
  extractPatterns,
  firstSentence,
  hashtagsOf,
  hookOf,
  lengthOf,
  parseArm,
  patternArms,
  slotOf,
  toneOf,
  weekdayOf,
} from './patterns.ts';
import { makePost } from './testing.ts';

describe('hookOf', () => {
  it.each([
    ['Why do cats purr? Nobody knows.', 'question'],
    ['Is this the best editor', 'question'],
    ['5 ways to speed up your build', 'number-list'],
    ['Top 10 tips for Rust. Read on.', 'number-list'],
    ['My list:\n1. coffee\n2. code', 'number-list'],
    ['How to ship on Fridays without fear', 'how-to'],
    ["Here's how we cut costs by half.", 'how-to'],
    ['"Simplicity is prerequisite for reliability." Dijkstra', 'quote'],
    ['We shipped it! Finally.', 'exclamation'],
    ['The release is out. Notes below.', 'statement'],
    ['', 'statement'],
  ])('reads %j as %s', (text, hook) => {
    expect(hookOf(text)).toBe(hook);
  });

  it('takes the first sentence up to its terminator', () => {
    expect(firstSentence('  Hello there! More text.')).toBe('Hello there!');
    expect(firstSentence('line one\nline two')).toBe('line one');
  });
});

describe('feature values', () => {
  it('buckets length at 80 and 280 code points', () => {
    expect(lengthOf('x'.repeat(79))).toBe('short');
    expect(lengthOf('x'.repeat(80))).toBe('medium');
    expect(lengthOf('😀'.repeat(79))).toBe('short');
    expect(lengthOf('x'.repeat(279))).toBe('medium');
    expect(lengthOf('x'.repeat(280))).toBe('long');
  });

  it('buckets hashtags', () => {
    expect([[], ['a'], ['a', 'b'], ['a', 'b', 'c']].map(hashtagsOf)).toEqual([
      'none',
      '1-2',
      '1-2',
      '3+',
    ]);
  });

  it('buckets UTC hours into slots', () => {
    expect(
      ['00', '05', '06', '11', '12', '17', '18', '23'].map((h) =>
        slotOf(`2024-05-01T${h}:30:00.000Z`),
      ),
    ).toEqual([
      'night',
      'night',
      'morning',
      'morning',
      'afternoon',
      'afternoon',
      'evening',
      'evening',
    ]);
    expect(slotOf('not a date')).toBe('unknown');
  });

  it('names UTC weekdays', () => {
    expect(weekdayOf('2024-05-06T00:00:00.000Z')).toBe('mon');
    expect(weekdayOf('2024-05-05T23:59:59.000Z')).toBe('sun');
    expect(weekdayOf('nope')).toBe('unknown');
  });

  it('reads the tone from word lists', () => {
    expect(toneOf('I love this, thanks!')).toBe('positive');
    expect(toneOf('The worst outage, everything is broken')).toBe('negative');
    expect(toneOf('Good news and bad news')).toBe('neutral');
  });
});

describe('extractPatterns', () => {
  it('maps a post to one arm per feature', () => {
    const post = makePost('alice', '1', 3, {
      text: 'How to love your tests',
      mediaKind: 'video',
      hashtags: ['testing', 'ts', 'vitest'],
      createdAt: '2024-05-08T19:00:00.000Z',
    });
    expect(extractPatterns(post)).toEqual({
      hook: 'how-to',
      length: 'short',
      media: 'video',
      hashtags: '3+',
      slot: 'evening',
      weekday: 'wed',
      tone: 'positive',
    });
    expect(patternArms(post)).toEqual([
      'hook=how-to',
      'length=short',
      'media=video',
      'hashtags=3+',
      'slot=evening',
      'weekday=wed',
      'tone=positive',
    ]);
  });

  it('splits an arm at its first equals sign', () => {
    expect(parseArm('hashtags=1-2')).toEqual({ feature: 'hashtags', value: '1-2' });
    expect(parseArm('a=b=c')).toEqual({ feature: 'a', value: 'b=c' });
  });
});

describe('createPatternExtractor', () => {
  const post = makePost('alice', '1', 3, {
    text: 'Shipping day: the deploy was smooth and the team is stoked',
    createdAt: '2024-05-06T03:30:00.000Z',
  });

  it('keeps only the configured features, in FEATURES order', () => {
    const extractor = createPatternExtractor({ features: ['tone', 'hook'] });

    expect(extractor.features).toEqual(['hook', 'tone']);
    expect(extractor.arms(post)).toEqual(['hook=statement', 'tone=neutral']);
  });

  it('reads the posting slot and weekday in the configured time zone', () => {
    // 03:30 UTC on Monday is 23:30 on Sunday in New York (EDT, UTC-4).
    const utc = createPatternExtractor();
    const newYork = createPatternExtractor({ timeZone: 'America/New_York' });

    expect(utc.patterns(post)).toMatchObject({ slot: 'night', weekday: 'mon' });
    expect(newYork.patterns(post)).toMatchObject({ slot: 'evening', weekday: 'sun' });
    expect(slotOf('2024-05-06T00:30:00.000Z', 'Asia/Kolkata')).toBe('morning');
    expect(weekdayOf('not a date', 'Europe/Paris')).toBe('unknown');
  });

  it('moves the length buckets and adds tone words', () => {
    const extractor = createPatternExtractor({
      lengthBreaks: [20, 40],
      positiveWords: ['Stoked', 'smooth'],
      negativeWords: ['rollback'],
    });

    expect(extractor.patterns(post)).toMatchObject({ length: 'long', tone: 'positive' });
    expect(extractor.patterns({ ...post, text: 'A rollback again' })).toMatchObject({
      length: 'short',
      tone: 'negative',
    });
  });

  it('lists the same features as the config schema accepts', () => {
    const parsed = configSchema.parse({});

    expect(parsed.engine.patterns.features).toEqual([...FEATURES]);
  });
});
