/**
 * The ViralEngineOperator: refreshes recent counts, builds each account's baseline, scores every
 * stored post, labels the viral ones and turns each scored post into pattern outcomes.
 */
import type { Operator, TaskContext } from '../../pipeline/types.ts';
import type { PlatformAdapter, PlatformName } from '../../platforms/types.ts';
import type { ArmState, PostScore } from '../../store/types.ts';
import { scorePosts } from './baseline.ts';
import type { AccountSummary, PostVerdict } from './baseline.ts';
import { engineOptions } from './options.ts';
import { patternArms } from './patterns.ts';
import { refreshRecent } from './refresh.ts';
import type { RefreshReport } from './refresh.ts';

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
}

/** The engine's output, passed to the thompson task. */
export interface EngineOutput {
  /** The run whose scores are stored; the thompson task applies this run's outcomes. */
  runId: string;
  /** Posts judged against a baseline. */
  scored: number;
  /** Viral posts, highest z first. */
  viral: ViralPost[];
  /** `platform:account (kind)` of baselines without enough history yet. */
  noBaseline: string[];
  accounts: AccountSummary[];
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
    const posts = ctx.store.listPosts({ withSnapshots: false });
    const { verdicts, accounts } = scorePosts(posts, options);

    const outcomes = new Map<string, ArmState>();
    const scores: PostScore[] = [];
    const viral: ViralPost[] = [];
    let scored = 0;
    for (const verdict of verdicts) {
      // Arms only matter for posts judged against a baseline; skipping the rest saves time.
      const arms = verdict.isScored ? patternArms(verdict.post) : undefined;
      scores.push(toScore(verdict, ctx.runId, arms));
      if (arms === undefined) continue;
      scored++;
      addOutcome(outcomes, arms, verdict.isViral);
      if (verdict.isViral) viral.push(toViral(verdict));
    }
    ctx.store.saveScores(scores);

    viral.sort((a, b) => b.score - a.score);
    const noBaseline = accounts
      .filter((account) => account.median === null)
      .map((account) => `${account.platform}:${account.account} (${account.kind})`);
    logger.info({ posts: posts.length, scored, viral: viral.length }, 'posts scored');
    ctx.progress({
      message: `${scored} scored, ${viral.length} viral`,
      done: scored,
      total: posts.length,
    });

    return {
      runId: ctx.runId,
      scored,
      viral,
      noBaseline,
      accounts,
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
