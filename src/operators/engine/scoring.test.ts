import { describe, expect, it } from 'vitest';
import { scorePosts } from './scoring.ts';
import { makeHistory, makePost } from './testing.ts';

const OPTIONS = { zThreshold: 3.5, ratioThreshold: 3, minHistory: 5 };

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
        baselinePosts: 11,
        median: 11,
        mad: Math.log(12 / 11),
        basis: 'all',
        equalAge: 0,
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
      baselinePosts: 0,
      median: null,
      mad: null,
      basis: 'all',
      equalAge: 0,
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

describe('scorePosts at equal age', () => {
  const HOUR_MS = 3_600_000;
  const AGE_OPTIONS = { ...OPTIONS, matureAgeMs: 48 * HOUR_MS, ageTolerance: 1.5 };
  // Six settled posts: 9 likes at 4 h, c likes at 9 h, about 200 at 72 h.
  const nineHours = [60, 80, 99, 99, 120, 150];
  const settled = [190, 200, 210, 200, 195, 205];
  const peers = nineHours.map((likes, i) =>
    makeHistory('gina', `p${i}`, [
      [4, 9],
      [9, likes],
      [72, settled[i]!],
    ]),
  );

  it('compares a young post with the account at about its age, from interpolated snapshots', () => {
    const young = makeHistory('gina', 'young', [[6, 300]]);
    const { verdicts, accounts } = scorePosts([...peers, young], AGE_OPTIONS);

    // At 6 h each peer is halfway (in log age) between its 4 h and 9 h readings.
    const atSix = nineHours.map((c) => (Math.log(10) + Math.log1p(c)) / 2).sort((a, b) => a - b);
    const center = (atSix[2]! + atSix[3]!) / 2;
    const deviations = atSix.map((v) => Math.abs(v - center)).sort((a, b) => a - b);
    const mad = (deviations[2]! + deviations[3]!) / 2;
    const z = (Math.log(301) - center) / (1.4826 * mad);
    const median = Math.expm1(center);

    const verdict = verdicts.at(-1)!;
    expect(verdict).toMatchObject({ basis: 'equal-age', isViral: true, baselinePosts: 6 });
    expect(verdict.zScore).toBeCloseTo(z, 9);
    expect(verdict.ratio).toBeCloseTo(300 / median, 9);
    expect(verdict.baselineMedian).toBeCloseTo(10 ** 1.5 - 1, 9);
    expect(verdict.reason).toBe(
      `z=${z.toFixed(1)} ≥ 3.5 and ${(300 / median).toFixed(1)}× the account median at 6.0h (31, 6 posts)`,
    );
    // Against the settled posts (median 200) the same 300 is unremarkable.
    expect(accounts[0]).toMatchObject({ basis: 'mature', median: 200, equalAge: 1 });
  });

  it('falls back to the mature baseline when too few posts were seen at that age, and says so', () => {
    const sparse = peers.map((post, i) =>
      i < 3 ? post : makeHistory('gina', `s${i}`, [[72, 200]]),
    );
    const young = makeHistory('gina', 'young', [[6, 300]]);
    const verdict = scorePosts([...sparse, young], AGE_OPTIONS).verdicts.at(-1)!;

    expect(verdict).toMatchObject({ basis: 'mature', isViral: false, baselinePosts: 6 });
    expect(verdict.reason).toMatch(
      /the account median \(200\) < 3×; young \(6\.0h\), 3 of 5 posts seen at that age$/,
    );
  });

  it('divides by the wider spread of the settled posts when the posts at that age agree by chance', () => {
    // Five posts seen at 6 h with 30 or 31 likes, settled far apart at 72 h.
    const tight = [30, 30, 31, 30, 30].map((early, i) =>
      makeHistory('lea', `t${i}`, [
        [6, early],
        [72, [50, 200, 400, 100, 800][i]!],
      ]),
    );
    const young = makeHistory('lea', 'young', [[6, 100]]);
    const { verdicts, accounts } = scorePosts([...tight, young], AGE_OPTIONS);

    // log1p of 50, 100, 200, 400, 800: median ln 201, deviations 0, ln(201/101), ln(401/201), ...
    const settledMad = Math.log(401 / 201);
    const z = (Math.log(101) - Math.log(31)) / (1.4826 * settledMad);
    expect(accounts[0]).toMatchObject({ basis: 'mature', median: 200 });
    expect(accounts[0]!.mad).toBeCloseTo(settledMad, 12);
    const verdict = verdicts.at(-1)!;
    expect(verdict.basis).toBe('equal-age');
    expect(verdict.zScore).toBeCloseTo(z, 9);
    expect(verdict.isViral).toBe(false);
  });

  it('does not count the post itself among its equal-age peers', () => {
    // Five posts all seen at 6 h only: each has four peers, below the minimum of five.
    const posts = [10, 11, 12, 13, 14].map((n, i) => makeHistory('hal', `h${i}`, [[6, n]]));
    const { verdicts } = scorePosts(posts, AGE_OPTIONS);

    expect(verdicts.map((v) => v.basis)).toEqual(['all', 'all', 'all', 'all', 'all']);
  });

  it('stays finite at equal age with all-equal counts, zeros and huge values', () => {
    const flat = [0, 1, 2, 3, 4].map((i) => makeHistory('ivy', `f${i}`, [[6, 0]]));
    const zero = scorePosts([...flat, makeHistory('ivy', 'z', [[6, 0]])], AGE_OPTIONS).verdicts;
    expect(zero.at(-1)).toMatchObject({ basis: 'equal-age', zScore: 0, ratio: 0, isViral: false });

    const huge = scorePosts([...flat, makeHistory('ivy', 'h', [[6, 1e300]])], AGE_OPTIONS);
    const top = huge.verdicts.at(-1)!;
    expect(top.basis).toBe('equal-age');
    expect(Number.isFinite(top.zScore)).toBe(true);
    expect(Number.isFinite(top.ratio)).toBe(true);
    expect(top.isViral).toBe(true);
  });
});

describe('scorePosts over recent posts', () => {
  it('builds the baseline from the newest baselinePosts posts with engagement', () => {
    const day = (d: number) => `2024-05-${String(d).padStart(2, '0')}T00:00:00.000Z`;
    // Old posts near 1,000, the five newest near 10: the baseline follows the recent level.
    const old = [1000, 1100, 900, 1050, 950].map((n, i) =>
      makePost('jo', `o${i}`, n, { createdAt: day(i + 1) }),
    );
    const recent = [10, 11, 9, 12, 10].map((n, i) =>
      makePost('jo', `r${i}`, n, { createdAt: day(i + 10) }),
    );
    const { accounts, verdicts } = scorePosts([...recent, ...old], {
      ...OPTIONS,
      baselinePosts: 5,
    });

    expect(accounts[0]).toMatchObject({ posts: 10, baselinePosts: 5 });
    expect(accounts[0]!.median).toBeCloseTo(10, 9);
    expect(verdicts.filter((v) => v.isViral).map((v) => v.post.postId)).toEqual([
      'o0',
      'o1',
      'o2',
      'o3',
      'o4',
    ]);
  });

  it('never uses a window smaller than minHistory', () => {
    const posts = [1, 2, 3, 4, 5, 6].map((n, i) => makePost('kim', `k${i}`, n));
    const { accounts } = scorePosts(posts, { ...OPTIONS, baselinePosts: 2 });

    expect(accounts[0]).toMatchObject({ baselinePosts: 5 });
  });
});
