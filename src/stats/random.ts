/**
 * A seeded pseudo-random generator and the samplers built on it (normal, gamma, beta).
 * Seeding makes bandit runs and tests reproducible.
 */

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** Mixes 32-bit words; used to spread a small seed over the generator state. */
function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * A seeded uniform generator in [0, 1): sfc32 (Chris Doty-Humphrey's small fast counting RNG),
 * its 128-bit state filled by splitmix32 so neighbouring seeds give unrelated streams.
 * @param seed any number; it is reduced to 32 bits.
 */
export function createRng(seed: number): Rng {
  const mix = splitmix32(Math.trunc(seed));
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();

  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  // The first outputs of a fresh state are weakly mixed; skipping a few is customary for sfc32.
  for (let i = 0; i < 12; i++) next();

  return next;
}

/** A 32-bit FNV-1a hash of a string, to derive a seed from an id such as a run id. */
export function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }

  return hash >>> 0;
}

/** A standard normal draw (Marsaglia's polar method; the second value is dropped to stay stateless). */
export function normal(rng: Rng): number {
  for (;;) {
    const u = 2 * rng() - 1;
    const v = 2 * rng() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

function checkShape(name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`${name}: got ${value}, expected a finite number > 0`);
  }
}

/** Marsaglia and Tsang (2000) for shape >= 1. */
function gammaAtLeastOne(rng: Rng, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(rng);
    const t = 1 + c * x;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = rng();
    // The squeeze accepts most draws without a logarithm.
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * The natural log of a Gamma(shape, 1) draw. For shape < 1 it uses the boost
 * Gamma(a) = Gamma(a + 1) * U^(1/a) in log space, because U^(1/a) underflows to 0 for tiny a.
 */
export function logGamma(rng: Rng, shape: number): number {
  checkShape('logGamma shape', shape);
  if (shape >= 1) return Math.log(gammaAtLeastOne(rng, shape));

  // 1 - rng() is in (0, 1], so its logarithm is finite.
  return Math.log(gammaAtLeastOne(rng, shape + 1)) + Math.log(1 - rng()) / shape;
}

/** A Gamma(shape, 1) draw (Marsaglia-Tsang; shape < 1 boosted by U^(1/shape)). */
export function gamma(rng: Rng, shape: number): number {
  checkShape('gamma shape', shape);
  if (shape >= 1) return gammaAtLeastOne(rng, shape);

  return gammaAtLeastOne(rng, shape + 1) * Math.pow(1 - rng(), 1 / shape);
}

/**
 * A Beta(a, b) draw as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). Computed from the log draws
 * as 1 / (1 + exp(log Y - log X)) so tiny shapes never give 0 / 0.
 */
export function beta(rng: Rng, a: number, b: number): number {
  checkShape('beta a', a);
  checkShape('beta b', b);
  if (a >= 1 && b >= 1) {
    const x = gammaAtLeastOne(rng, a);
    return x / (x + gammaAtLeastOne(rng, b));
  }

  return 1 / (1 + Math.exp(logGamma(rng, b) - logGamma(rng, a)));
}
