/**
 * Scores every post against its own account's baseline.
 *
 * Like is compared with like: an account's originals and its replies get separate baselines
 * (replies draw a fraction of an original's engagement, and mixing them widens the spread until
 * real outliers no longer stand out), and reposts are not scored at all, since their counts
 * measure another account's post.
 *
 * The **standing baseline** of an account covers its `baselinePosts` most recent posts with
 * engagement, the scored post included (with a median and a MAD one outlier barely moves it,
 * and one baseline per account keeps the pass linear). When at least `minHistory` of them are
 * mature (counts read `matureAgeMs` or more after creation) only those count: posts still
 * gathering engagement sit low and would widen the spread.
 *
 * A **young** post (read before `matureAgeMs`) is compared at equal age where snapshots allow:
 * its engagement at age a against the account's other recent posts at about a, each
 * interpolated from its own snapshots (`history.ts`). With fewer than `minHistory` such posts
 * it falls back to the standing baseline, which is conservative (a young post can only look
 * smaller than it will be), and its reason says so. The equal-age z-score divides by the wider
 * of the two baselines' scales (see `widened`).
 */
import type { PlatformName, Post } from '../../platforms/types.ts';
import type { Snapshot } from '../../store/types.ts';
import { computeBaseline, formatAge, judge } from './baseline.ts';
import type { Baseline, Judgement, Thresholds } from './baseline.ts';
import { engagementOf } from './engagement.ts';
import { ageOf, seriesOf, valueAtAge } from './history.ts';
import type { AgeSeries } from './history.ts';

/** How posts are scored. */
export interface ScoringOptions extends Thresholds {
  /** Posts with engagement a baseline needs; fewer give "no baseline yet". */
  minHistory: number;
  /**
   * Age at which counts are taken as settled, ms. Mature posts form the standing baseline when
   * there are enough; younger posts are compared at equal age. Default 0: every post is mature.
   */
  matureAgeMs?: number;
  /** Most recent posts with engagement a baseline covers. Default: all of them. */
  baselinePosts?: number;
  /** Snapshots within this factor of an age count as "at about" it. Default 1.5. */
  ageTolerance?: number;
  /**
   * Early prediction for young posts: log1p of the engagement expected at `matureAgeMs` from
   * log1p of the engagement read at `ageMs`, or null when unknown (see `prediction.ts`).
   */
  predict?: (post: ScoredPost, ageMs: number, logNow: number) => number | null;
}

/** Where a young post is predicted to land at the mature age. */
export interface Prediction {
  /** Predicted engagement at the mature age. */
  engagement: number;
  /** Against the account's mature baseline; null when it has none. */
  zScore: number | null;
  ratio: number | null;
  /** Whether it would be viral at that engagement against the mature baseline. */
  isViral: boolean;
}

/** Which posts a verdict's baseline came from. */
export type BaselineBasis = 'equal-age' | 'mature' | 'all';

/** Posts with their own baseline: originals, and replies. */
export type BaselineKind = 'original' | 'reply';

/** A post as scoring reads it: its latest counts and, when loaded, its snapshot history. */
export type ScoredPost = Post & { snapshots?: readonly Snapshot[] };

/** One account's standing baseline, for the report. */
export interface AccountSummary {
  platform: PlatformName;
  account: string;
  /** Which of the account's posts this baseline covers. */
  kind: BaselineKind;
  /** Posts with engagement. */
  posts: number;
  /** Posts the standing baseline was built from (0 without a baseline). */
  baselinePosts: number;
  /** Median engagement, or null without a baseline. */
  median: number | null;
  /** Raw MAD of log1p(engagement), or null without a baseline. */
  mad: number | null;
  /** Which posts the standing baseline was built from: mature ones, or all (too few mature). */
  basis: 'mature' | 'all';
  /** Young posts judged against the account's posts at the same age. */
  equalAge: number;
}

/** The verdict on one post. */
export interface PostVerdict {
  post: ScoredPost;
  engagement: number | null;
  zScore: number | null;
  ratio: number | null;
  isViral: boolean;
  /** Why the post got its label, e.g. `z=7.2 ≥ 3.5 and 56.3× the account median (13)`. */
  reason: string;
  /** Whether the post was judged against a baseline (it then counts as a bandit outcome). */
  isScored: boolean;
  /** The baseline that judged it, or null when none did. */
  basis: BaselineBasis | null;
  /** The post's age when its counts were read, ms. */
  ageMs: number;
  /** Median engagement of that baseline (at the post's age for `equal-age`), or null. */
  baselineMedian: number | null;
  /** Posts in that baseline (0 when none). */
  baselinePosts: number;
  /** For a young post with a prediction model: where it is expected to land; else null. */
  prediction: Prediction | null;
}

const DEFAULT_AGE_TOLERANCE = 1.5;

/**
 * Scores every post against its own account's baseline. Posts are grouped per account and
 * kind into typed arrays, so 100k posts take one pass plus a linear-time selection per account;
 * young posts add one interpolation per recent post of their account.
 */
export function scorePosts(
  posts: readonly ScoredPost[],
  options: ScoringOptions,
): { verdicts: PostVerdict[]; accounts: AccountSummary[] } {
  const groups = new Map<string, number[]>();
  const engagements = new Float64Array(posts.length);
  const verdicts = new Array<PostVerdict>(posts.length);
  posts.forEach((post, index) => {
    engagements[index] = engagementOf(post.counts) ?? Number.NaN;
    if (post.kind === 'repost') {
      const reason = "not scored: a repost measures another account's post";
      verdicts[index] = unscored(post, null, reason);
      return;
    }
    const key = `${post.platform}\u0000${post.account}\u0000${post.kind}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [index]);
    else group.push(index);
  });

  const accounts: AccountSummary[] = [];
  for (const indices of groups.values()) {
    accounts.push(new GroupScorer(posts, engagements, indices, options).scoreInto(verdicts));
  }

  return { verdicts, accounts };
}

/** The standing baseline of a group and what it was built from. */
interface Standing {
  baseline: Baseline | null;
  basis: 'mature' | 'all';
  posts: number;
}

/** Scores one account's posts of one kind. */
class GroupScorer {
  readonly #posts: readonly ScoredPost[];
  readonly #engagements: Float64Array;
  readonly #indices: readonly number[];
  readonly #options: ScoringOptions;
  readonly #matureAgeMs: number;
  /** Indices of the posts with engagement, oldest first. */
  readonly #known: number[];
  /** The most recent `baselinePosts` of `#known`. */
  readonly #window: number[];
  #series: AgeSeries[] | undefined;

  constructor(
    posts: readonly ScoredPost[],
    engagements: Float64Array,
    indices: readonly number[],
    options: ScoringOptions,
  ) {
    this.#posts = posts;
    this.#engagements = engagements;
    this.#indices = indices;
    this.#options = options;
    this.#matureAgeMs = options.matureAgeMs ?? 0;

    // Parse each time once: a comparator parsing on every call costs n log n parses.
    const known = indices.filter((index) => !Number.isNaN(engagements[index]));
    const created = new Map(
      known.map((index) => [index, Date.parse(this.#post(index).createdAt) || 0]),
    );
    this.#known = known.sort((a, b) => (created.get(a) ?? 0) - (created.get(b) ?? 0));
    const size = Math.max(options.baselinePosts ?? Infinity, options.minHistory);
    this.#window = this.#known.slice(Math.max(0, this.#known.length - size));
  }

  scoreInto(verdicts: PostVerdict[]): AccountSummary {
    const standing = this.#standing();
    let equalAge = 0;
    for (const index of this.#indices) {
      const verdict = this.#verdict(index, standing);
      if (verdict.basis === 'equal-age') equalAge++;
      verdicts[index] = verdict;
    }
    const first = this.#post(this.#indices[0] as number);

    return {
      platform: first.platform,
      account: first.account,
      kind: first.kind === 'reply' ? 'reply' : 'original',
      posts: this.#known.length,
      baselinePosts: standing.baseline === null ? 0 : standing.posts,
      median: standing.baseline?.medianEngagement ?? null,
      mad: standing.baseline?.mad ?? null,
      basis: standing.basis,
      equalAge,
    };
  }

  #post(index: number): ScoredPost {
    return this.#posts[index] as ScoredPost;
  }

  #log(index: number): number {
    return Math.log1p(this.#engagements[index] as number);
  }

  #standing(): Standing {
    const all = Float64Array.from(this.#window, (index) => this.#log(index));
    if (this.#matureAgeMs > 0) {
      const mature = this.#window.filter((index) => ageOf(this.#post(index)) >= this.#matureAgeMs);
      if (mature.length >= this.#options.minHistory) {
        const logs = Float64Array.from(mature, (index) => this.#log(index));
        const baseline = computeBaseline(logs, this.#options.minHistory);
        return { baseline, basis: 'mature', posts: logs.length };
      }
    }

    return {
      baseline: computeBaseline(all, this.#options.minHistory),
      basis: 'all',
      posts: all.length,
    };
  }

  #verdict(index: number, standing: Standing): PostVerdict {
    const verdict = this.#judgeNow(index, standing);
    const isYoung = this.#matureAgeMs > 0 && verdict.ageMs < this.#matureAgeMs;
    if (isYoung && verdict.engagement !== null && this.#options.predict !== undefined) {
      verdict.prediction = this.#predict(verdict.post, verdict.ageMs, verdict.engagement, standing);
    }

    return verdict;
  }

  #predict(
    post: ScoredPost,
    ageMs: number,
    engagement: number,
    standing: Standing,
  ): Prediction | null {
    const log = this.#options.predict?.(post, ageMs, Math.log1p(engagement)) ?? null;
    const predicted = log === null ? Number.NaN : Math.expm1(log);
    // A prediction past the largest double is no prediction at all.
    if (!Number.isFinite(predicted)) return null;
    const landed = Math.max(0, predicted);
    if (standing.basis !== 'mature' || standing.baseline === null) {
      return { engagement: landed, zScore: null, ratio: null, isViral: false };
    }
    const { zScore, ratio, isViral } = judge(landed, standing.baseline, this.#options);

    return { engagement: landed, zScore, ratio, isViral };
  }

  #judgeNow(index: number, standing: Standing): PostVerdict {
    const post = this.#post(index);
    const ageMs = ageOf(post);
    const engagement = this.#engagements[index] as number;
    if (Number.isNaN(engagement)) return unscored(post, null, 'not scored: no engagement counts');

    const isYoung = this.#matureAgeMs > 0 && ageMs < this.#matureAgeMs;
    const peers = isYoung ? this.#peersAt(index, ageMs) : null;
    if (peers !== null && peers.length >= this.#options.minHistory) {
      const baseline = widened(
        computeBaseline(peers, this.#options.minHistory) as Baseline,
        standing,
      );
      const judgement = judge(engagement, baseline, this.#options, {
        atAgeMs: ageMs,
        posts: peers.length,
      });
      return scored(post, engagement, judgement, 'equal-age', baseline, peers.length);
    }

    if (standing.baseline === null) {
      const reason = `no baseline yet: ${this.#known.length} of ${this.#options.minHistory} posts with engagement`;
      return unscored(post, engagement, reason);
    }
    const judgement = judge(engagement, standing.baseline, this.#options);
    if (peers !== null) {
      judgement.reason +=
        `; young (${formatAge(ageMs)}), ${peers.length} of ${this.#options.minHistory} ` +
        `posts seen at that age`;
    }

    return scored(post, engagement, judgement, standing.basis, standing.baseline, standing.posts);
  }

  /** log1p(engagement) of the other recent posts at about `ageMs`, where snapshots allow. */
  #peersAt(index: number, ageMs: number): Float64Array {
    const tolerance = this.#options.ageTolerance ?? DEFAULT_AGE_TOLERANCE;
    this.#series ??= this.#window.map((peer) => seriesOf(this.#post(peer)));
    const values = new Float64Array(this.#window.length);
    let count = 0;
    this.#window.forEach((peer, at) => {
      if (peer === index) return;
      const value = valueAtAge(this.#series?.[at] as AgeSeries, ageMs, tolerance);
      if (value !== null) values[count++] = value;
    });

    return values.subarray(0, count);
  }
}

/**
 * An equal-age baseline keeps its center but takes the standing baseline's scale when that is
 * wider: a handful of posts seen at one age can agree by chance, and their tiny MAD would turn
 * a post three times their median into z = 27. In log space growth shifts every post alike,
 * so the spread of the account's settled posts is a fair (and better estimated) stand-in.
 */
function widened(baseline: Baseline, standing: Standing): Baseline {
  const wider = standing.baseline?.scale ?? 0;

  return wider > baseline.scale ? { ...baseline, scale: wider } : baseline;
}

function scored(
  post: ScoredPost,
  engagement: number,
  judgement: Judgement,
  basis: BaselineBasis,
  baseline: Baseline,
  baselinePosts: number,
): PostVerdict {
  return {
    post,
    engagement,
    ...judgement,
    isScored: true,
    basis,
    ageMs: ageOf(post),
    baselineMedian: baseline.medianEngagement,
    baselinePosts,
    prediction: null,
  };
}

function unscored(post: ScoredPost, engagement: number | null, reason: string): PostVerdict {
  return {
    post,
    engagement,
    zScore: null,
    ratio: null,
    isViral: false,
    reason,
    isScored: false,
    basis: null,
    ageMs: ageOf(post),
    baselineMedian: null,
    baselinePosts: 0,
    prediction: null,
  };
}
