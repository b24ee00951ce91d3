/**
 * The ViralEngineOperator: refreshes recent counts, fits the early-prediction model, builds each
 * account's baseline, scores every stored post (young ones at equal age), labels the viral
 * ones and turns each scored post into pattern outcomes.
 */
import type { Operator, TaskContext } from '../../pipeline/types.ts';
import type { PlatformAdapter, PlatformName } from '../../platforms/types.ts';
import type { ArmState, PostScore } from '../../store/types.ts';
import { engineOptions } from './options.ts';
import type { EngineOptions } from './options.ts';
import { createPatternExtractor } from './patterns.ts';
import { fitPredictionModels, predictLog } from './prediction.ts';
import type { PlatformModel } from './prediction.ts';
import { refreshRecent } from './refresh.ts';
import type { RefreshReport } from './refresh.ts';
import { scorePosts } from './scoring.ts';
import type { AccountSummary, BaselineBasis, PostVerdict, ScoredPost } from './scoring.ts';

const HOUR_MS = 3_600_000;

/** A post labelled viral. */
export interface ViralPost {
  platform: PlatformName;
  account: string;
  postId: string;
  url: string | null;
  /** The robust z-score. */
  score: number;
  ratio: number;
  engagement: number;
  reason: string;
  /** The baseline that judged it. */
  basis: BaselineBasis;
  /** Its age when its counts were read, hours. */
  ageHours: number;
}

/** A young post the early-prediction model expects to be viral once mature. */
export interface RisingPost {
  platform: PlatformName;
  account: string;
  postId: string;
  url: string | null;
  ageHours: number;
  /** Engagement now. */
  engagement: number;
  /** Predicted engagement at the mature age. */
  predicted: number;
  /** Predicted ratio to the account's mature median. */
  ratio: number;
  /** Predicted robust z-score against the mature baseline. */
  score: number;
}

/** How many posts got each label, and against which baseline the scored ones were judged. */
export interface LabelCounts {
  viral: number;
  notViral: number;
  /** Accounts below `minHistory` posts with engagement. */
  noBaseline: number;
  /** Reposts and posts without engagement counts. */
  notScored: number;
  /** Scored posts per baseline. */
  byBasis: Record<BaselineBasis, number>;
}

/** The engine's output, passed to the thompson task. */
export interface EngineOutput {
  /** The run whose scores are stored; the thompson task applies this run's outcomes. */
  runId: string;
  /** Posts judged against a baseline. */
  scored: number;
  /** Viral posts, highest z first. */
  viral: ViralPost[];
  /** Young posts predicted to be viral once mature and not viral yet, highest predicted z first. */
  rising: RisingPost[];
  labels: LabelCounts;
  /** `platform:account (kind)` of baselines without enough history yet. */
  noBaseline: string[];
  accounts: AccountSummary[];
  /** The early-prediction model per platform, with its error on held-out posts. */
  prediction: PlatformModel[];
  /** Per arm, this run's scored posts: viral ones are successes, the others failures. */
  outcomes: ArmState[];
  refresh: RefreshReport;
}

/** What the engine needs besides the task context. */
export interface EngineDeps {
  /** Adapters used for the refresh lookups; a platform without one is not refreshed. */
  adapters: Partial<Record<PlatformName, PlatformAdapter>>;
}

function toScore(verdict: PostVerdict, runId: string, arms: string[] | undefined): PostScore {
  const score: PostScore = {
    platform: verdict.post.platform,
    postId: verdict.post.postId,
    runId,
    engagement: verdict.engagement,
    zScore: verdict.zScore,
    ratio: verdict.ratio,
    isViral: verdict.isViral,
    reason: verdict.reason,
    basis: verdict.basis,
    ageHours: verdict.ageMs / HOUR_MS,
    predicted: verdict.prediction?.engagement ?? null,
  };
  if (arms !== undefined) score.arms = arms;

  return score;
}

function addOutcome(
  outcomes: Map<string, ArmState>,
  arms: readonly string[],
  isViral: boolean,
): void {
  for (const arm of arms) {
    const state = outcomes.get(arm) ?? { arm, successes: 0, failures: 0 };
    if (isViral) state.successes++;
    else state.failures++;
    outcomes.set(arm, state);
  }
}

function toViral(verdict: PostVerdict): ViralPost {
  return {
    platform: verdict.post.platform,
    account: verdict.post.account,
    postId: verdict.post.postId,
    url: verdict.post.url,
    score: verdict.zScore ?? 0,
    ratio: verdict.ratio ?? 0,
    engagement: verdict.engagement ?? 0,
    reason: verdict.reason,
    basis: verdict.basis ?? 'all',
    ageHours: verdict.ageMs / HOUR_MS,
  };
}

function toRising(verdict: PostVerdict): RisingPost | null {
  const prediction = verdict.prediction;
  if (verdict.isViral || prediction === null || !prediction.isViral) return null;

  return {
    platform: verdict.post.platform,
    account: verdict.post.account,
    postId: verdict.post.postId,
    url: verdict.post.url,
    ageHours: verdict.ageMs / HOUR_MS,
    engagement: verdict.engagement ?? 0,
    predicted: prediction.engagement,
    ratio: prediction.ratio ?? 0,
    score: prediction.zScore ?? 0,
  };
}

function countLabel(labels: LabelCounts, verdict: PostVerdict): void {
  if (verdict.basis !== null) {
    labels.byBasis[verdict.basis]++;
    if (verdict.isViral) labels.viral++;
    else labels.notViral++;
  } else if (verdict.engagement !== null && verdict.post.kind !== 'repost') {
    labels.noBaseline++;
  } else {
    labels.notScored++;
  }
}

/** The model of each platform as a `predict` function for scoring. */
function predictor(models: readonly PlatformModel[], options: EngineOptions) {
  const byPlatform = new Map(models.map((model) => [model.platform, model]));

  return (post: ScoredPost, ageMs: number, logNow: number): number | null => {
    const model = byPlatform.get(post.platform);
    return model === undefined ? null : predictLog(model, ageMs, logNow, options.ageTolerance);
  };
}

/** The engine operator; create it with `createEngineOperator`. */
export class ViralEngineOperator implements Operator<EngineOutput> {
  readonly name = 'engine' as const;
  readonly dependsOn = ['scrape'] as const;
  readonly #deps: EngineDeps;

  constructor(deps: EngineDeps) {
    this.#deps = deps;
  }

  async execute(ctx: TaskContext): Promise<EngineOutput> {
    const options = engineOptions(ctx.config);
    const logger = ctx.logger.child({ component: 'engine' });

    ctx.progress({ message: 'refreshing recent counts' });
    const refresh = await refreshRecent(ctx, this.#deps.adapters, options);
    ctx.signal.throwIfAborted();

    ctx.progress({ message: 'scoring posts' });
    // Snapshots are what equal-age comparison and the prediction model read.
    const posts = ctx.store.listPosts({ withSnapshots: options.matureAgeMs > 0 });
    const prediction =
      options.matureAgeMs > 0
        ? fitPredictionModels(posts, {
            targetMs: options.matureAgeMs,
            ageTolerance: options.ageTolerance,
            minPairs: options.predictMinPairs,
          })
        : [];
    const { verdicts, accounts } = scorePosts(posts, {
      ...options,
      predict: predictor(prediction, options),
    });

    const extractor = createPatternExtractor(options.patterns);
    const outcomes = new Map<string, ArmState>();
    const scores: PostScore[] = [];
    const viral: ViralPost[] = [];
    const rising: RisingPost[] = [];
    const labels: LabelCounts = {
      viral: 0,
      notViral: 0,
      noBaseline: 0,
      notScored: 0,
      byBasis: { 'equal-age': 0, mature: 0, all: 0 },
    };
    let scored = 0;
    for (const verdict of verdicts) {
      countLabel(labels, verdict);
      const risingPost = toRising(verdict);
      if (risingPost !== null) rising.push(risingPost);
      // Arms only matter for posts judged against a baseline; skipping the rest saves time.
      const arms = verdict.isScored ? extractor.arms(verdict.post) : undefined;
      scores.push(toScore(verdict, ctx.runId, arms));
      if (arms === undefined) continue;
      scored++;
      addOutcome(outcomes, arms, verdict.isViral);
      if (verdict.isViral) viral.push(toViral(verdict));
    }
    ctx.store.saveScores(scores);

    viral.sort((a, b) => b.score - a.score);
    rising.sort((a, b) => b.score - a.score);
    const noBaseline = accounts
      .filter((account) => account.median === null)
      .map((account) => `${account.platform}:${account.account} (${account.kind})`);
    logger.info(
      { posts: posts.length, scored, viral: viral.length, rising: rising.length },
      'posts scored',
    );
    ctx.progress({
      message: `${scored} scored, ${viral.length} viral`,
      done: scored,
      total: posts.length,
    });

    return {
      runId: ctx.runId,
      scored,
      viral,
      rising,
      labels,
      noBaseline,
      accounts,
      prediction,
      outcomes: [...outcomes.values()].sort((a, b) => a.arm.localeCompare(b.arm)),
      refresh,
    };
  }
}

/**
 * Creates the engine operator (task `engine`, after `scrape`).
 * @example
 * const engine = createEngineOperator({ adapters: createAdapters(config.platforms, process.env) });
 * const output = await engine.execute(ctx);
 */
export function createEngineOperator(deps: EngineDeps): ViralEngineOperator {
  return new ViralEngineOperator(deps);
}
