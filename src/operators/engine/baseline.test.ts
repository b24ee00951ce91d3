import { describe, expect, it } from 'vitest';
import { computeBaseline, formatFigure, formatRatio, judge, scorePosts } from './baseline.ts';
import { engagementOf } from './engagement.ts';
import { NULL_COUNTS, makePost } from './testing.ts';

const OPTIONS = { zThreshold: 3.5, ratioThreshold: 3, minHistory: 5 };

describe('engagementOf', () => {
  it('adds likes, double reposts, replies and quotes', () => {
    expect(engagementOf({ ...NULL_COUNTS, likes: 10, reposts: 3, replies: 2, quotes: 1 })).toBe(19);
  });

  it('uses the score only when likes are null', () => {
    expect(engagementOf({ ...NULL_COUNTS, likes: 10, score: 9, replies: 1 })).toBe(11);
    expect(engagementOf({ ...NULL_COUNTS, score: 120, replies: 30 })).toBe(150);
  });

  it('is null when the votes are hidden, whatever else is known', () => {
    // A hidden-likes YouTube video: replies alone would look like a collapse in its account.
    expect(engagementOf({ ...NULL_COUNTS, replies: 4, views: 9_000 })).toBeNull();
  });

  it('skips null counts and is null when every count is null', () => {
    expect(engagementOf({ ...NULL_COUNTS, likes: 3, replies: 4 })).toBe(7);
    expect(engagementOf({ ...NULL_COUNTS, score: 3, quotes: 1 })).toBe(4);
    expect(engagementOf(NULL_COUNTS)).toBeNull();
    expect(engagementOf({ ...NULL_COUNTS, views: 1_000 })).toBeNull();
  });

  it('clamps a negative score to 0 and drops an overflowing sum', () => {
    expect(engagementOf({ ...NULL_COUNTS, score: -5 })).toBe(0);
    expect(engagementOf({ ...NULL_COUNTS, likes: 1e308, reposts: 1e308 })).toBeNull();
  });
});

describe('computeBaseline', () => {
  it('is null below the minimum history', () => {
    expect(computeBaseline(new Float64Array([1, 2, 3]), 5)).toBeNull();
    expect(computeBaseline(new Float64Array([]), 1)).toBeNull();
  });

  it('uses the median and 1.4826 times the MAD', () => {
    const baseline = computeBaseline(new Float64Array([1, 2, 3, 4, 100]), 5)!;
    expect(baseline.center).toBe(3);
    expect(baseline.mad).toBe(1);
    expect(baseline.scale).toBeCloseTo(1.4826, 12);
    expect(baseline.medianEngagement).toBeCloseTo(Math.expm1(3), 12);
  });

  it('falls back to the mean absolute deviation when the MAD is 0', () => {
    const baseline = computeBaseline(new Float64Array([2, 2, 2, 2, 7]), 5)!;
    expect(baseline.mad).toBe(0);
    expect(baseline.scale).toBeCloseTo(1.2533, 12);
  });

  it('falls back to 0.1 when every value is equal', () => {
    expect(computeBaseline(new Float64Array([2, 2, 2, 2, 2]), 5)!.scale).toBe(0.1);
  });
});

describe('judge', () => {
  it('explains a viral verdict', () => {
    const baseline = computeBaseline(new Float64Array(5).fill(Math.log1p(40)), 5)!;
    const verdict = judge(520, baseline, OPTIONS);
    expect(verdict.isViral).toBe(true);
    expect(verdict.ratio).toBeCloseTo(13, 9);
    expect(verdict.reason).toBe('z=25.4 ≥ 3.5 and 13.0× the account median (40)');
  });

  it('needs both the z-score and the ratio', () => {
    const baseline = computeBaseline(new Float64Array(5).fill(Math.log1p(40)), 5)!;
    expect(judge(60, baseline, OPTIONS)).toMatchObject({
      isViral: false,
      reason: 'not viral: z=4.0 ≥ 3.5, 1.5× the account median (40) < 3×',
    });
    expect(judge(45, baseline, OPTIONS).reason).toBe(
      'not viral: z=1.2 < 3.5, 1.1× the account median (40) < 3×',
    );
  });

  it('guards a zero median with a floor of 1', () => {
    const baseline = computeBaseline(new Float64Array(5), 5)!;
    expect(judge(7, baseline, OPTIONS).ratio).toBe(7);
  });
});

describe('scorePosts', () => {
  const likes = [10, 12, 9, 11, 10, 13, 8, 10, 11, 12];

  it('labels a planted outlier viral with its reason', () => {
    const posts = [
      ...likes.map((n, i) => makePost('alice', `a${i}`, n)),
      makePost('alice', 'big', 500),
    ];
    const { verdicts, accounts } = scorePosts(posts, OPTIONS);

    const viral = verdicts.filter((v) => v.isViral);
    expect(viral.map((v) => v.post.postId)).toEqual(['big']);
    const z = (Math.log1p(500) - Math.log1p(11)) / (1.4826 * Math.log(12 / 11));
    expect(viral[0]!.zScore).toBeCloseTo(z, 9);
    expect(viral[0]!.reason).toBe(`z=${z.toFixed(1)} ≥ 3.5 and 45.5× the account median (11)`);
    expect(accounts).toEqual([
      {
        platform: 'bluesky',
        account: 'alice',
        kind: 'original',
        posts: 11,
        median: 11,
        mad: Math.log(12 / 11),
        basis: 'all',
      },
    ]);
    expect(verdicts.filter((v) => v.isScored)).toHaveLength(11);
  });

  it('gives no baseline to an account with fewer posts than the minimum', () => {
    const posts = [1, 2, 300].map((n, i) => makePost('bob', `b${i}`, n));
    const { verdicts, accounts } = scorePosts(posts, OPTIONS);
    expect(verdicts.map((v) => [v.zScore, v.ratio, v.isViral, v.isScored])).toEqual([
      [null, null, false, false],
      [null, null, false, false],
      [null, null, false, false],
    ]);
    expect(verdicts[0]!.reason).toBe('no baseline yet: 3 of 5 posts with engagement');
    expect(accounts[0]).toEqual({
      platform: 'bluesky',
      account: 'bob',
      kind: 'original',
      posts: 3,
      median: null,
      mad: null,
      basis: 'all',
    });
  });

  it('does not count posts without engagement towards the history', () => {
    const posts = [
      ...[5, 6, 7, 8].map((n, i) => makePost('carol', `c${i}`, n)),
      makePost('carol', 'none', null),
    ];
    const { verdicts } = scorePosts(posts, OPTIONS);
    expect(verdicts[4]!.engagement).toBeNull();
    expect(verdicts[4]!.reason).toBe('not scored: no engagement counts');
    expect(verdicts[0]!.reason).toBe('no baseline yet: 4 of 5 posts with engagement');
  });

  it('stays finite for a single post, equal values and huge values', () => {
    const single = scorePosts([makePost('d', '1', 10)], { ...OPTIONS, minHistory: 1 });
    expect(single.verdicts[0]!.zScore).toBe(0);

    const equal = scorePosts(
      [1, 2, 3, 4, 5, 6].map((i) => makePost('e', String(i), 10)),
      OPTIONS,
    );
    for (const verdict of equal.verdicts) {
      expect(verdict.zScore).toBe(0);
      expect(verdict.ratio).toBeCloseTo(1, 12);
      expect(verdict.isViral).toBe(false);
    }

    const huge = scorePosts(
      [...[1, 2, 3, 4, 5].map((i) => makePost('f', String(i), 10)), makePost('f', 'x', 1e15)],
      OPTIONS,
    );
    const top = huge.verdicts[5]!;
    expect(Number.isFinite(top.zScore)).toBe(true);
    expect(Number.isFinite(top.ratio)).toBe(true);
    expect(top.isViral).toBe(true);
    expect(top.reason).toBe('z=4.8 ≥ 3.5 and 1.00e+14× the account median (10)');
  });

  it('scores 100k posts across 1000 accounts, one verdict each', () => {
    const posts = Array.from({ length: 100_000 }, (_, i) =>
      makePost(`acct${i % 1000}`, String(i), (i * 7919) % 200),
    );
    const { verdicts, accounts } = scorePosts(posts, OPTIONS);

    expect(verdicts).toHaveLength(100_000);
    expect(accounts).toHaveLength(1000);
  });
});

describe('formatFigure and formatRatio', () => {
  it('round by magnitude', () => {
    expect(formatFigure(3.14159)).toBe('3.1');
    expect(formatFigure(41.4)).toBe('41');
    expect(formatFigure(2.5e7)).toBe('2.50e+7');
    expect(formatRatio(12.34)).toBe('12.3');
    expect(formatRatio(4321.6)).toBe('4322');
    expect(formatRatio(2.5e7)).toBe('2.50e+7');
  });
});

describe('scorePosts by kind', () => {
  it('gives replies their own baseline and leaves reposts unscored', () => {
    const originals = [100, 110, 90, 105, 95].map((n, i) => makePost('carol', `o${i}`, n));
    const replies = [4, 5, 3, 4, 6].map((n, i) => ({
      ...makePost('carol', `r${i}`, n),
      kind: 'reply' as const,
    }));
    const repost = { ...makePost('carol', 'rp', 9_000), kind: 'repost' as const };
    const { verdicts, accounts } = scorePosts([...originals, ...replies, repost], OPTIONS);

    expect(accounts.map((a) => [a.kind, a.posts, Math.round(a.median!)])).toEqual([
      ['original', 5, 100],
      ['reply', 5, 4],
    ]);
    expect(verdicts.filter((v) => v.isViral)).toEqual([]);
    expect(verdicts.at(-1)!.reason).toBe("not scored: a repost measures another account's post");
  });
});

describe('scorePosts with a maturity age', () => {
  const DAY_MS = 86_400_000;
  const at = (days: number) =>
    new Date(Date.parse('2024-05-01T00:00:00Z') + days * DAY_MS).toISOString();

  it('builds the baseline from mature posts when there are enough, and judges young ones by it', () => {
    // Five settled posts near 100; four young posts still low; one young post already at 1,000.
    const mature = [100, 95, 105, 98, 102].map((n, i) =>
      makePost('dana', `m${i}`, n, { createdAt: at(0), observedAt: at(5) }),
    );
    const young = [3, 5, 4, 6, 1_000].map((n, i) =>
      makePost('dana', `y${i}`, n, { createdAt: at(5 - 0.1), observedAt: at(5) }),
    );
    const withAge = scorePosts([...mature, ...young], { ...OPTIONS, matureAgeMs: 2 * DAY_MS });
    const without = scorePosts([...mature, ...young], OPTIONS);

    expect(withAge.accounts[0]).toMatchObject({ basis: 'mature', posts: 10 });
    expect(withAge.accounts[0]!.median).toBeCloseTo(100, 6);
    expect(withAge.verdicts.filter((v) => v.isViral).map((v) => v.post.postId)).toEqual(['y4']);
    // Mixing the young posts in widens the spread until the 10x post no longer stands out.
    expect(without.accounts[0]).toMatchObject({ basis: 'all' });
    expect(without.verdicts.filter((v) => v.isViral)).toEqual([]);
  });

  it('falls back to every post while too few are mature', () => {
    const posts = [10, 12, 11, 9, 13].map((n, i) =>
      makePost('erin', `p${i}`, n, { createdAt: at(0), observedAt: at(0.5) }),
    );
    const { accounts } = scorePosts(posts, { ...OPTIONS, matureAgeMs: 2 * DAY_MS });

    expect(accounts[0]).toMatchObject({ basis: 'all', posts: 5 });
  });
});
