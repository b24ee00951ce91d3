/**
 * Per-author baselines on 20,100 real Hacker News posts (2015-16): heavy tails, ties, authors
 * with one post and authors with two hundred.
 *
 * The expected figures were computed apart from this code base, with Python's csv module and
 * numpy: engagement = points + comments; per author with at least 5 posts, the newest 100 by
 * time (file order breaking ties) give center = numpy.median(log1p(e)) and
 * MAD = numpy.median(|log1p(e) - center|); scale = 1.4826 MAD (else 1.2533 times the mean
 * absolute deviation, else 0.1); every post of the author then gets
 * z = (log1p(e) - center) / scale and ratio = e / max(expm1(center), 1), viral when
 * z >= 3.5 and ratio >= 3.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dataPath, hasData } from '../../../test/support/data.ts';
import type { Post } from '../../platforms/types.ts';
import { scorePosts } from './scoring.ts';
import { NULL_COUNTS } from './testing.ts';

/** Splits RFC 4180 CSV text into rows of fields (quoted fields may hold commas and quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let isQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (isQuoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') isQuoted = false;
      else field += char;
    } else if (char === '"') isQuoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);

  return rows;
}

/** `M/D/YYYY H:MM` (no zone) as UTC ISO. */
function isoOf(text: string): string {
  const [date = '', time = ''] = text.split(' ');
  const [month, day, year] = date.split('/').map(Number);
  const [hour, minute] = time.split(':').map(Number);

  return new Date(Date.UTC(year!, month! - 1, day, hour, minute)).toISOString();
}

function loadPosts(): Post[] {
  const text = readFileSync(dataPath('hackernews/hacker_news.csv'), 'utf8').replace(/^\uFEFF/, '');
  const [header, ...rows] = parseCsv(text);
  expect(header).toEqual([
    'id',
    'title',
    'url',
    'num_points',
    'num_comments',
    'author',
    'created_at',
  ]);

  return rows.map(
    ([id = '', title = '', url = '', points, comments, author = '', created = '']) => ({
      platform: 'hackernews',
      postId: id,
      account: author,
      url: url || null,
      createdAt: isoOf(created),
      text: title,
      kind: 'original',
      mediaKind: url ? 'link' : 'none',
      hashtags: [],
      counts: { ...NULL_COUNTS, score: Number(points), replies: Number(comments) },
      // Read long after the last post: every post is mature.
      observedAt: '2016-12-01T00:00:00.000Z',
    }),
  );
}

const OPTIONS = {
  zThreshold: 3.5,
  ratioThreshold: 3,
  minHistory: 5,
  matureAgeMs: 48 * 3_600_000,
  baselinePosts: 100,
};

describe.skipIf(!hasData)('baselines on real Hacker News posts (../shared/data/hackernews)', () => {
  const posts = hasData ? loadPosts() : [];
  const { verdicts, accounts } = scorePosts(posts, OPTIONS);

  it('reads all 20,100 posts and gives a baseline to the 565 authors with 5 or more', () => {
    expect(posts).toHaveLength(20_100);
    expect(accounts).toHaveLength(10_382);
    expect(accounts.filter((account) => account.median !== null)).toHaveLength(565);
    expect(verdicts.filter((verdict) => verdict.isScored)).toHaveLength(7_090);
    expect(verdicts.filter((verdict) => verdict.reason.startsWith('no baseline yet'))).toHaveLength(
      20_100 - 7_090,
    );
  });

  it('matches the independently computed median and MAD of the busiest authors', () => {
    const expected: [string, number, number, number, number][] = [
      // author, posts, posts in the baseline, median engagement, raw MAD of log1p
      ['ingve', 198, 100, 78.99374975584031, 0.9807511219075749],
      ['prostoalex', 123, 100, 31.49615361854384, 1.5352115830777902],
      ['dnetesn', 98, 98, 35.0, 0.7681172542054027],
      ['jseliger', 85, 85, 26.999999999999996, 1.5404450409471488],
      ['Tomte', 60, 60, 25.495282598983536, 1.3310565529575922],
    ];
    for (const [author, count, inBaseline, median, mad] of expected) {
      const account = accounts.find((candidate) => candidate.account === author)!;
      expect(account).toMatchObject({ posts: count, baselinePosts: inBaseline, basis: 'mature' });
      expect(account.median).toBeCloseTo(median, 9);
      expect(account.mad).toBeCloseTo(mad, 12);
    }
  });

  it('labels the same 203 posts viral, with the same top scores', () => {
    const viral = verdicts.filter((verdict) => verdict.isViral);
    expect(viral).toHaveLength(203);

    const top = [...viral].sort((a, b) => b.zScore! - a.zScore!).slice(0, 3);
    expect(
      top.map((verdict) => [verdict.post.account, verdict.post.postId, verdict.engagement]),
    ).toEqual([
      ['JackPoach', '11503585', 262],
      ['state_machine', '12445135', 178],
      ['stevep2007', '10581857', 126],
    ]);
    expect(top[0]!.zScore).toBeCloseTo(19.62808210141424, 9);
    expect(top[0]!.ratio).toBeCloseTo(87.33333333333333, 9);
    expect(top[0]!.reason).toBe('z=19.6 ≥ 3.5 and 87.3× the account median (3.0)');
    expect(top[2]!.zScore).toBeCloseTo(16.889033922524895, 9);
  });

  it('gives every verdict a finite score or none', () => {
    for (const verdict of verdicts) {
      if (verdict.zScore !== null) expect(Number.isFinite(verdict.zScore)).toBe(true);
      if (verdict.ratio !== null) expect(Number.isFinite(verdict.ratio)).toBe(true);
    }
  });
});
