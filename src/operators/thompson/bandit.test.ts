import { describe, expect, it } from 'vitest';
import { createRng, lnGamma } from '../../stats/index.ts';
import { ThompsonBandit } from './bandit.ts';

const lnBeta = (a: number, b: number) => lnGamma(a) + lnGamma(b) - lnGamma(a + b);

/** P(X_B > X_A) for X_A ~ Beta(aA, bA), X_B ~ Beta(aB, bB), aB an integer (Evan Miller's sum). */
function exactProbabilityBBeatsA(aA: number, bA: number, aB: number, bB: number): number {
  let total = 0;
  for (let i = 0; i < aB; i++) {
    total += Math.exp(
      lnBeta(aA + i, bA + bB) - Math.log(bB + i) - lnBeta(1 + i, bB) - lnBeta(aA, bA),
    );
  }

  return total;
}

describe('ThompsonBandit', () => {
  it('estimates the probability of being best within Monte Carlo error of the exact value', () => {
    const bandit = new ThompsonBandit(2, createRng(1));
    bandit.update(0, 12, 88); // Beta(13, 89)
    bandit.update(1, 17, 83); // Beta(18, 84)
    const draws = 100_000;
    const exact = exactProbabilityBBeatsA(13, 89, 18, 84);

    const p = bandit.probabilityBest(draws);

    // Five standard errors of a proportion over 100,000 draws.
    expect(Math.abs(p[1]! - exact)).toBeLessThan(5 * Math.sqrt((exact * (1 - exact)) / draws));
    expect(p[0]! + p[1]!).toBeCloseTo(1, 12);
  });

  it('spreads a batch over arms by their probability of being best', () => {
    const bandit = new ThompsonBandit(3, createRng(2));
    bandit.update(2, 0, 1_000); // clearly worst
    const plays = bandit.chooseBatch(10_000);

    expect(plays.reduce((sum, n) => sum + n, 0)).toBe(10_000);
    expect(plays[2]).toBe(0);
    // Arms 0 and 1 are both Beta(1, 1): about 5,000 each (sd 50).
    expect(Math.abs(plays[0]! - 5_000)).toBeLessThan(250);
  });

  it('learns the better of two Bernoulli arms', () => {
    const rng = createRng(3);
    const bandit = new ThompsonBandit(2, createRng(4));
    const p = [0.04, 0.06];
    const plays = [0, 0];
    for (let t = 0; t < 20_000; t++) {
      const arm = bandit.choose();
      plays[arm]!++;
      const click = rng() < p[arm]! ? 1 : 0;
      bandit.update(arm, click, 1 - click);
    }

    expect(plays[1]! / 20_000).toBeGreaterThan(0.8);
    expect(bandit.bestMean()).toBe(1);
  });

  it('discounts every arm once per update', () => {
    const bandit = new ThompsonBandit(2, createRng(5), { discount: 0.5, priorAlpha: 2 });
    bandit.update(0, 8, 4);
    bandit.updateAll([0, 2], [0, 0]);

    expect(bandit.counts(0)).toEqual({ successes: 4, failures: 2 });
    expect(bandit.counts(1)).toEqual({ successes: 2, failures: 0 });
    expect(bandit.mean(0)).toBeCloseTo(6 / 9, 15);
  });

  it('repeats its choices for a seed', () => {
    const run = () => {
      const bandit = new ThompsonBandit(4, createRng(9));
      return Array.from({ length: 20 }, () => bandit.choose());
    };
    expect(run()).toEqual(run());
  });

  it('rejects arms, priors and discounts out of range', () => {
    const rng = createRng(1);
    expect(() => new ThompsonBandit(0, rng)).toThrow('arms: got 0, expected an integer >= 1');
    expect(() => new ThompsonBandit(2, rng, { priorBeta: 0 })).toThrow(
      'priorBeta: got 0, expected a finite number > 0',
    );
    expect(() => new ThompsonBandit(2, rng, { discount: 1.5 })).toThrow(
      'discount: got 1.5, expected (0, 1]',
    );
  });
});
