/**
 * Beta(a, b) sampling, one shape at a time or a whole vector of shapes per call, on typed arrays.
 *
 * The algorithm depends on the shapes:
 * - a, b >= 1 (every Beta(1 + successes, 1 + failures) posterior): X / (X + Y) with X, Y Gamma
 *   draws by Marsaglia-Tsang over a ziggurat normal, whose squeeze avoids logarithms in ~98% of
 *   draws. It stays exact for huge shapes, where rejection samplers built on a normal
 *   approximation lose acceptance or precision.
 * - one shape below 1: that Gamma is boosted, Gamma(a) = Gamma(a + 1) U^(1/a).
 * - both below 1: Johnk's algorithm (U^(1/a), V^(1/b), accepted when their sum is <= 1), with the
 *   ratio taken in log space when both powers underflow (shapes around 0.03 and below).
 *
 * The per-shape constants (d = a - 1/3, c = 1 / sqrt(9d), 1/a) are computed once per shape by
 * `fillBeta` and once per entry by `BetaVector`, not per draw. bench/bandit.ts measures the speed
 * against @stdlib/random-base-beta and jStat; src/stats/beta-sampler.test.ts checks the
 * distribution against the exact CDF.
 */
import { checkShape, gammaMarsagliaTsang } from './gamma.ts';
import type { Rng } from './random.ts';

/** Which algorithm a pair of shapes uses. */
const Kind = { BothLarge: 0, SmallA: 1, SmallB: 2, BothSmall: 3 } as const;

function kindOf(a: number, b: number): number {
  if (a >= 1) return b >= 1 ? Kind.BothLarge : Kind.SmallB;

  return b >= 1 ? Kind.SmallA : Kind.BothSmall;
}

/** d of Marsaglia-Tsang for a shape, boosted by 1 below 1. */
function dOf(shape: number): number {
  return (shape < 1 ? shape + 1 : shape) - 1 / 3;
}

function johnk(rng: Rng, invA: number, invB: number): number {
  for (;;) {
    // 1 - rng() is in (0, 1]: its logarithm below is finite.
    const u = 1 - rng();
    const v = 1 - rng();
    const x = Math.pow(u, invA);
    const y = Math.pow(v, invB);
    const sum = x + y;
    if (sum <= 1) {
      if (sum > 0) return x / sum;
      // Both powers underflowed: x / (x + y) = 1 / (1 + y / x), with y / x from the logarithms.
      return 1 / (1 + Math.exp(Math.log(v) * invB - Math.log(u) * invA));
    }
  }
}

/** One draw with precomputed constants; `inv*` is 1 / shape for a shape below 1, else unused. */
function sample(
  rng: Rng,
  kind: number,
  dA: number,
  cA: number,
  invA: number,
  dB: number,
  cB: number,
  invB: number,
): number {
  if (kind === Kind.BothSmall) return johnk(rng, invA, invB);

  // Two Gamma call sites only, so the optimiser can inline them into a Thompson round.
  let x = gammaMarsagliaTsang(rng, dA, cA);
  if (kind === Kind.SmallA) x *= Math.pow(1 - rng(), invA);
  let y = gammaMarsagliaTsang(rng, dB, cB);
  if (kind === Kind.SmallB) y *= Math.pow(1 - rng(), invB);

  // With one shape >= 1 its Gamma draw is positive, so this is never 0 / 0 even if the other
  // underflows.
  return x / (x + y);
}

/**
 * One Beta(a, b) draw.
 * @throws RangeError when a or b is not a finite number > 0.
 * @example
 * const rng = createRng(42);
 * const x = beta(rng, 1 + successes, 1 + failures);
 */
export function beta(rng: Rng, a: number, b: number): number {
  checkShape('beta a', a);
  checkShape('beta b', b);
  const dA = dOf(a);
  const dB = dOf(b);

  return sample(
    rng,
    kindOf(a, b),
    dA,
    1 / Math.sqrt(9 * dA),
    1 / a,
    dB,
    1 / Math.sqrt(9 * dB),
    1 / b,
  );
}

/**
 * Fills `out` with independent Beta(a, b) draws; the shape's constants are computed once.
 * @throws RangeError when a or b is not a finite number > 0.
 */
export function fillBeta(rng: Rng, a: number, b: number, out: Float64Array): Float64Array {
  checkShape('beta a', a);
  checkShape('beta b', b);
  const kind = kindOf(a, b);
  const dA = dOf(a);
  const dB = dOf(b);
  const cA = 1 / Math.sqrt(9 * dA);
  const cB = 1 / Math.sqrt(9 * dB);
  for (let i = 0; i < out.length; i++) out[i] = sample(rng, kind, dA, cA, 1 / a, dB, cB, 1 / b);

  return out;
}

/**
 * A vector of Beta distributions (one per bandit arm) with their sampling constants kept beside
 * the shapes in typed arrays, so a Thompson round (`drawAll`) costs only the draws, and changing
 * one arm (`set`) recomputes only that arm's constants.
 */
export class BetaVector {
  /** Number of entries. */
  readonly size: number;
  readonly #alpha: Float64Array;
  readonly #beta: Float64Array;
  readonly #kind: Uint8Array;
  /** Per entry: dA, cA, 1/a, dB, cB, 1/b. */
  readonly #constants: Float64Array;

  /** Creates `size` entries, all Beta(1, 1) until set. */
  constructor(size: number) {
    this.size = size;
    this.#alpha = new Float64Array(size);
    this.#beta = new Float64Array(size);
    this.#kind = new Uint8Array(size);
    this.#constants = new Float64Array(size * 6);
    for (let i = 0; i < size; i++) this.set(i, 1, 1);
  }

  /** A vector of Beta(alphas[i], betas[i]). @throws RangeError on a shape that is not > 0. */
  static from(alphas: ArrayLike<number>, betas: ArrayLike<number>): BetaVector {
    if (alphas.length !== betas.length) {
      throw new RangeError(`BetaVector.from: ${alphas.length} alphas but ${betas.length} betas`);
    }
    const vector = new BetaVector(alphas.length);
    for (let i = 0; i < alphas.length; i++) {
      vector.set(i, alphas[i] as number, betas[i] as number);
    }

    return vector;
  }

  /** Shape a of entry i. */
  alpha(i: number): number {
    return this.#alpha[i] as number;
  }

  /** Shape b of entry i. */
  beta(i: number): number {
    return this.#beta[i] as number;
  }

  /** Mean a / (a + b) of entry i. */
  mean(i: number): number {
    const a = this.#alpha[i] as number;
    return a / (a + (this.#beta[i] as number));
  }

  /**
   * Sets entry i to Beta(a, b).
   * @throws RangeError when a or b is not a finite number > 0.
   */
  set(i: number, a: number, b: number): void {
    checkShape(`beta a of entry ${i}`, a);
    checkShape(`beta b of entry ${i}`, b);
    this.#alpha[i] = a;
    this.#beta[i] = b;
    this.#kind[i] = kindOf(a, b);
    const dA = dOf(a);
    const dB = dOf(b);
    const at = i * 6;
    const constants = this.#constants;
    constants[at] = dA;
    constants[at + 1] = 1 / Math.sqrt(9 * dA);
    constants[at + 2] = 1 / a;
    constants[at + 3] = dB;
    constants[at + 4] = 1 / Math.sqrt(9 * dB);
    constants[at + 5] = 1 / b;
  }

  /** One draw from entry i. */
  sample(rng: Rng, i: number): number {
    const k = this.#constants;
    const at = i * 6;

    return sample(
      rng,
      this.#kind[i] as number,
      k[at] as number,
      k[at + 1] as number,
      k[at + 2] as number,
      k[at + 3] as number,
      k[at + 4] as number,
      k[at + 5] as number,
    );
  }

  /** One draw from every entry into `out` (length >= size): a Thompson round. */
  drawAll(rng: Rng, out: Float64Array): Float64Array {
    for (let i = 0; i < this.size; i++) out[i] = this.sample(rng, i);

    return out;
  }

  /** The index of the largest of one draw per entry (ties: the lower index); -1 when empty. */
  drawArgmax(rng: Rng): number {
    let best = -1;
    let top = -Infinity;
    for (let i = 0; i < this.size; i++) {
      const x = this.sample(rng, i);
      if (x > top) {
        top = x;
        best = i;
      }
    }

    return best;
  }
}
