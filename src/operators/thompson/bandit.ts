/**
 * Beta-Bernoulli Thompson sampling over K arms on typed arrays: the policy the thompson operator
 * applies to each feature's values, and the one `flywheel evaluate` replays on real data.
 */
import { BetaVector } from '../../stats/index.ts';
import type { Rng } from '../../stats/index.ts';

/** Options of `ThompsonBandit`. */
export interface ThompsonBanditOptions {
  /** Beta prior alpha (pseudo-successes) of every arm, > 0. Default 1. */
  priorAlpha?: number;
  /** Beta prior beta (pseudo-failures) of every arm, > 0. Default 1. */
  priorBeta?: number;
  /**
   * Discount for drifting rewards, in (0, 1]: every update first multiplies all arms' counts by
   * it (discounted Thompson sampling, Raj and Kalyani 2017), so an outcome n updates old weighs
   * discount^n. Default 1: nothing is forgotten.
   */
  discount?: number;
}

function checkPositive(name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`ThompsonBandit ${name}: got ${value}, expected a finite number > 0`);
  }
}

/**
 * Thompson sampling for Bernoulli rewards: each arm's success probability has a
 * Beta(prior + successes, prior + failures) posterior; a choice draws once from every posterior
 * and plays the largest draw, so each arm is played with its probability of being the best.
 *
 * @example
 * const bandit = new ThompsonBandit(3, createRng(1));
 * const counts = bandit.chooseBatch(100); // plays per arm for 100 slots
 * bandit.update(0, 7, 30);
 */
export class ThompsonBandit {
  /** Number of arms. */
  readonly arms: number;
  readonly #rng: Rng;
  readonly #priorAlpha: number;
  readonly #priorBeta: number;
  readonly #discount: number;
  readonly #successes: Float64Array;
  readonly #failures: Float64Array;
  readonly #posterior: BetaVector;

  /** @throws RangeError on a prior that is not > 0 or a discount outside (0, 1]. */
  constructor(arms: number, rng: Rng, options: ThompsonBanditOptions = {}) {
    if (!Number.isInteger(arms) || arms < 1) {
      throw new RangeError(`ThompsonBandit arms: got ${arms}, expected an integer >= 1`);
    }
    this.arms = arms;
    this.#rng = rng;
    this.#priorAlpha = options.priorAlpha ?? 1;
    this.#priorBeta = options.priorBeta ?? 1;
    this.#discount = options.discount ?? 1;
    checkPositive('priorAlpha', this.#priorAlpha);
    checkPositive('priorBeta', this.#priorBeta);
    if (!(this.#discount > 0 && this.#discount <= 1)) {
      throw new RangeError(`ThompsonBandit discount: got ${this.#discount}, expected (0, 1]`);
    }
    this.#successes = new Float64Array(arms);
    this.#failures = new Float64Array(arms);
    this.#posterior = new BetaVector(arms);
    for (let i = 0; i < arms; i++) this.#posterior.set(i, this.#priorAlpha, this.#priorBeta);
  }

  /** The arm one Thompson draw picks. */
  choose(): number {
    return this.#posterior.drawArgmax(this.#rng);
  }

  /**
   * Plays per arm for `slots` choices made before any of their outcomes is known (a batch): one
   * independent Thompson draw per slot, so the batch spreads over arms in proportion to their
   * probability of being best.
   * @param into counts to add to (length >= arms); a new array when omitted.
   */
  chooseBatch(slots: number, into: Float64Array = new Float64Array(this.arms)): Float64Array {
    for (let s = 0; s < slots; s++) {
      const arm = this.#posterior.drawArgmax(this.#rng);
      into[arm] = (into[arm] as number) + 1;
    }

    return into;
  }

  /** Adds outcomes of one arm (after discounting every arm once). */
  update(arm: number, successes: number, failures: number): void {
    this.#decay();
    this.#add(arm, successes, failures);
  }

  /** Adds the outcomes of a batch, one entry per arm (after discounting every arm once). */
  updateAll(successes: ArrayLike<number>, failures: ArrayLike<number>): void {
    this.#decay();
    for (let i = 0; i < this.arms; i++) {
      const s = successes[i] as number;
      const f = failures[i] as number;
      if (s !== 0 || f !== 0) this.#add(i, s, f);
    }
  }

  /** Posterior mean of arm i. */
  mean(i: number): number {
    return this.#posterior.mean(i);
  }

  /** The arm with the highest posterior mean (ties: the lower index): the one to ship. */
  bestMean(): number {
    let best = 0;
    for (let i = 1; i < this.arms; i++) if (this.mean(i) > this.mean(best)) best = i;

    return best;
  }

  /** Successes and failures counted for arm i (discounted). */
  counts(i: number): { successes: number; failures: number } {
    return { successes: this.#successes[i] as number, failures: this.#failures[i] as number };
  }

  /**
   * Each arm's probability of being the best, from `draws` Monte Carlo rounds: also the
   * probability that `choose` picks it, so it is the propensity of a choice.
   */
  probabilityBest(draws: number): Float64Array {
    const wins = new Float64Array(this.arms);
    for (let d = 0; d < draws; d++) {
      const arm = this.#posterior.drawArgmax(this.#rng);
      wins[arm] = (wins[arm] as number) + 1;
    }
    for (let i = 0; i < this.arms; i++) wins[i] = (wins[i] as number) / draws;

    return wins;
  }

  #add(arm: number, successes: number, failures: number): void {
    const s = (this.#successes[arm] as number) + successes;
    const f = (this.#failures[arm] as number) + failures;
    this.#successes[arm] = s;
    this.#failures[arm] = f;
    this.#posterior.set(arm, this.#priorAlpha + s, this.#priorBeta + f);
  }

  #decay(): void {
    if (this.#discount === 1) return;
    for (let i = 0; i < this.arms; i++) {
      const s = (this.#successes[i] as number) * this.#discount;
      const f = (this.#failures[i] as number) * this.#discount;
      this.#successes[i] = s;
      this.#failures[i] = f;
      this.#posterior.set(i, this.#priorAlpha + s, this.#priorBeta + f);
    }
  }
}
