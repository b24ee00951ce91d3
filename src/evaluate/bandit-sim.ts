/**
 * One headline test replayed as a Bernoulli bandit: each arm's click probability is its real
 * click-through rate, the budget is the test's real traffic, and every policy spends that budget
 * in batches (a policy learns only at the end of each batch).
 *
 * Rewards follow the "stack of cards" model: each arm has its own seeded stream, so the n-th
 * impression of an arm is a click or not whichever policy shows it. Policies are then compared on
 * the same luck, which removes most of the noise from their differences.
 */
import { ThompsonBandit } from '../operators/thompson/bandit.ts';
import { createRng, hashSeed, randomIndex, shuffleInPlace } from '../stats/index.ts';
import type { Rng } from '../stats/index.ts';
import type { HeadlineTest } from './upworthy-data.ts';

/** The policies compared, in report order. */
export const POLICIES = [
  'uniform',
  'thompson',
  'epsilon-greedy',
  'explore-then-commit',
  'oracle',
] as const;
export type PolicyName = (typeof POLICIES)[number];
/** Policies whose result does not depend on the batch size. */
export const BATCHLESS: ReadonlySet<PolicyName> = new Set(['uniform', 'oracle']);

/** How the policies are set up. */
export interface SimulationOptions {
  /** Seed; a test's streams derive from it and the test id, not from the test's position. */
  seed: number;
  /** Impressions per batch; each size is simulated separately. */
  batchSizes: readonly number[];
  /** Thompson sampling's Beta prior. */
  priorAlpha: number;
  priorBeta: number;
  /** Thompson sampling's discount per batch, in (0, 1]; 1 forgets nothing. */
  discount: number;
  /** Epsilon-greedy's share of random impressions, in [0, 1]. */
  epsilon: number;
  /** Explore-then-commit's share of the budget spent round-robin before committing, in (0, 1]. */
  exploreShare: number;
}

/** What one policy did in one test. */
export interface PolicyResult {
  policy: PolicyName;
  /** Batch size; 0 for the batch-independent uniform and oracle policies. */
  batch: number;
  /** Clicks drawn. */
  clicks: number;
  /** Sum over impressions of the shown arm's click probability. */
  expectedClicks: number;
  /** Whether the arm shown most often has the highest click probability. */
  isMostPlayedBest: boolean;
  /** Whether the arm the policy would ship at the end has the highest click probability. */
  isFinalPickBest: boolean;
}

/** All policies' results in one test. */
export interface TestResult {
  id: string;
  arms: number;
  /** Impressions: the test's real traffic. */
  budget: number;
  /** The clicks the real test got. */
  realClicks: number;
  results: PolicyResult[];
}

/** The streams and figures every policy of a test shares. */
interface Arena {
  p: Float64Array;
  best: number;
  budget: number;
  cards: Rng[];
}

function argmaxRandomTies(values: Float64Array, rng: Rng): number {
  let best = -1;
  let top = -Infinity;
  let ties = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v > top) {
      top = v;
      best = i;
      ties = 1;
    } else if (v === top && randomIndex(rng, ++ties) === 0) {
      // Reservoir sampling over the tied arms: each is kept with equal chance.
      best = i;
    }
  }

  return best;
}

/** Empirical means, with unplayed arms first (+Infinity) so every arm gets tried. */
function empiricalMeans(
  clicks: Float64Array,
  plays: Float64Array,
  out: Float64Array,
): Float64Array {
  for (let i = 0; i < out.length; i++) {
    const n = plays[i] as number;
    out[i] = n === 0 ? Infinity : (clicks[i] as number) / n;
  }

  return out;
}

class Tally {
  readonly plays: Float64Array;
  readonly clicks: Float64Array;
  total = 0;

  constructor(
    readonly arena: Arena,
    arms: number,
  ) {
    this.plays = new Float64Array(arms);
    this.clicks = new Float64Array(arms);
  }

  /** Shows `arm` once; returns 1 on a click. */
  show(arm: number): number {
    const click = (this.arena.cards[arm] as Rng)() < (this.arena.p[arm] as number) ? 1 : 0;
    this.plays[arm] = (this.plays[arm] as number) + 1;
    this.clicks[arm] = (this.clicks[arm] as number) + click;
    this.total += click;

    return click;
  }

  result(policy: PolicyName, batch: number, finalPick: number): PolicyResult {
    const { p, best } = this.arena;
    let expected = 0;
    let mostPlayed = 0;
    for (let i = 0; i < p.length; i++) {
      expected += (this.plays[i] as number) * (p[i] as number);
      if ((this.plays[i] as number) > (this.plays[mostPlayed] as number)) mostPlayed = i;
    }
    const pBest = p[best] as number;

    return {
      policy,
      batch,
      clicks: this.total,
      expectedClicks: expected,
      isMostPlayedBest: p[mostPlayed] === pBest,
      isFinalPickBest: p[finalPick] === pBest,
    };
  }
}

function runUniform(arena: Arena, rng: Rng): PolicyResult {
  const arms = arena.p.length;
  const tally = new Tally(arena, arms);
  for (let t = 0; t < arena.budget; t++) tally.show(t % arms);
  const means = empiricalMeans(tally.clicks, tally.plays, new Float64Array(arms));

  return tally.result('uniform', 0, argmaxRandomTies(means, rng));
}

function runOracle(arena: Arena): PolicyResult {
  const tally = new Tally(arena, arena.p.length);
  for (let t = 0; t < arena.budget; t++) tally.show(arena.best);

  return tally.result('oracle', 0, arena.best);
}

function runThompson(
  arena: Arena,
  batch: number,
  rng: Rng,
  options: SimulationOptions,
): PolicyResult {
  const arms = arena.p.length;
  const bandit = new ThompsonBandit(arms, rng, options);
  const tally = new Tally(arena, arms);
  const successes = new Float64Array(arms);
  const failures = new Float64Array(arms);
  for (let t = 0; t < arena.budget;) {
    const end = Math.min(arena.budget, t + batch);
    successes.fill(0);
    failures.fill(0);
    for (; t < end; t++) {
      const arm = bandit.choose();
      if (tally.show(arm) === 1) successes[arm] = (successes[arm] as number) + 1;
      else failures[arm] = (failures[arm] as number) + 1;
    }
    bandit.updateAll(successes, failures);
  }

  return tally.result('thompson', batch, bandit.bestMean());
}

function runEpsilonGreedy(arena: Arena, batch: number, rng: Rng, epsilon: number): PolicyResult {
  const arms = arena.p.length;
  const tally = new Tally(arena, arms);
  const means = new Float64Array(arms);
  for (let t = 0; t < arena.budget;) {
    // The greedy arm can change only when a batch's clicks come back.
    const greedy = argmaxRandomTies(empiricalMeans(tally.clicks, tally.plays, means), rng);
    const end = Math.min(arena.budget, t + batch);
    for (; t < end; t++) tally.show(rng() < epsilon ? randomIndex(rng, arms) : greedy);
  }

  return tally.result(
    'epsilon-greedy',
    batch,
    argmaxRandomTies(empiricalMeans(tally.clicks, tally.plays, means), rng),
  );
}

function runExploreThenCommit(arena: Arena, batch: number, rng: Rng, share: number): PolicyResult {
  const arms = arena.p.length;
  const tally = new Tally(arena, arms);
  const means = new Float64Array(arms);
  const explore = Math.max(arms, Math.ceil(share * arena.budget));
  let committed = -1;
  for (let t = 0; t < arena.budget;) {
    // The commitment waits for the batch in which exploration ended to report back.
    if (committed < 0 && t >= explore) {
      committed = argmaxRandomTies(empiricalMeans(tally.clicks, tally.plays, means), rng);
    }
    const end = Math.min(arena.budget, t + batch);
    for (; t < end; t++) tally.show(committed >= 0 ? committed : t % arms);
  }
  const pick =
    committed >= 0
      ? committed
      : argmaxRandomTies(empiricalMeans(tally.clicks, tally.plays, means), rng);

  return tally.result('explore-then-commit', batch, pick);
}

/** A seeded stream named by the run's seed, the test and a purpose. */
function stream(options: SimulationOptions, test: HeadlineTest, purpose: string): Rng {
  return createRng(hashSeed(`${options.seed}/${test.id}/${purpose}`));
}

/**
 * Replays one test under every policy and batch size.
 * @example
 * const result = simulateTest(tests[0], { seed: 1, batchSizes: [1, 100], ...defaults });
 */
export function simulateTest(test: HeadlineTest, options: SimulationOptions): TestResult {
  // The archive lists arms by clicks, best first; a policy breaking ties by index would be handed
  // the answer, so the order is shuffled.
  const order = shuffleInPlace(
    stream(options, test, 'shuffle'),
    Array.from(test.impressions, (_, i) => i),
  );
  const p = Float64Array.from(
    order,
    (i) => (test.clicks[i] as number) / (test.impressions[i] as number),
  );
  let best = 0;
  for (let i = 1; i < p.length; i++) if ((p[i] as number) > (p[best] as number)) best = i;
  const budget = test.impressions.reduce((sum, n) => sum + n, 0);
  const arenaFor = (): Arena => ({
    p,
    best,
    budget,
    cards: order.map((_, arm) => stream(options, test, `cards/${arm}`)),
  });

  const results: PolicyResult[] = [
    runUniform(arenaFor(), stream(options, test, 'uniform')),
    runOracle(arenaFor()),
  ];
  for (const batch of options.batchSizes) {
    const rng = (policy: string) => stream(options, test, `${policy}/${batch}`);
    results.push(
      runThompson(arenaFor(), batch, rng('thompson'), options),
      runEpsilonGreedy(arenaFor(), batch, rng('epsilon-greedy'), options.epsilon),
      runExploreThenCommit(arenaFor(), batch, rng('explore-then-commit'), options.exploreShare),
    );
  }

  return {
    id: test.id,
    arms: p.length,
    budget,
    realClicks: test.clicks.reduce((sum, n) => sum + n, 0),
    results,
  };
}
