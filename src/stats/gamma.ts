/**
 * Gamma(shape, 1) draws by Marsaglia and Tsang, "A Simple Method for Generating Gamma
 * Variables" (ACM TOMS 26(3), 2000): the core the Beta sampler builds on (it applies their
 * boost for shapes below 1 itself).
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
