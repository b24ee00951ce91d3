/**
 * Gamma(shape, 1) draws by Marsaglia and Tsang, "A Simple Method for Generating Gamma
 * Variables" (ACM TOMS 26(3), 2000), with their boost for shapes below 1.
 */
import { normal } from './normal.ts';
import type { Rng } from './random.ts';

/** Throws a RangeError naming `name` unless `value` is a finite number > 0. */
export function checkShape(name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`${name}: got ${value}, expected a finite number > 0`);
  }
}

/**
 * One Gamma(d + 1/3) draw from the constants d = shape - 1/3 and c = 1 / sqrt(9d), shape >= 1.
 * Callers that draw a shape many times compute d and c once.
 * @internal
 */
export function gammaMarsagliaTsang(rng: Rng, d: number, c: number): number {
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    const x2 = x * x;
    // The squeeze 1 - 0.0331 x^4 accepts about 98% of draws without a logarithm.
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * A Gamma(shape, 1) draw. Shapes below 1 use Gamma(a) = Gamma(a + 1) * U^(1/a).
 * @throws RangeError when shape is not a finite number > 0.
 */
export function gamma(rng: Rng, shape: number): number {
  checkShape('gamma shape', shape);
  const boosted = shape < 1 ? shape + 1 : shape;
  const d = boosted - 1 / 3;
  const x = gammaMarsagliaTsang(rng, d, 1 / Math.sqrt(9 * d));
  if (shape >= 1) return x;

  // 1 - rng() is in (0, 1], so the power is finite.
  return x * Math.pow(1 - rng(), 1 / shape);
}

/**
 * The natural log of a Gamma(shape, 1) draw, finite even where the draw itself underflows to 0
 * (shapes far below 1, where U^(1/a) can be smaller than the least double).
 * @throws RangeError when shape is not a finite number > 0.
 */
export function logGamma(rng: Rng, shape: number): number {
  checkShape('logGamma shape', shape);
  const boosted = shape < 1 ? shape + 1 : shape;
  const d = boosted - 1 / 3;
  const x = Math.log(gammaMarsagliaTsang(rng, d, 1 / Math.sqrt(9 * d)));
  if (shape >= 1) return x;

  return x + Math.log(1 - rng()) / shape;
}
