/**
 * A seeded pseudo-random generator and helpers on it. Seeding makes bandit runs, evaluations and
 * tests reproducible. The samplers built on it live beside: normal.ts, gamma.ts, beta-sampler.ts.
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
 * its 128-bit state filled by splitmix32 so neighbouring seeds give unrelated streams. Every value
 * is a multiple of 2^-32.
 * @param seed any number; it is reduced to 32 bits.
 */
export function createRng(seed: number): Rng {
  const mix = splitmix32(Math.trunc(seed));
  // The state lives in an Int32Array, not in four closure variables: a closure variable holding a
  // number above 2^30 is boxed, so every call allocated four heap numbers and ran 10x slower
  // (measured with bench/bandit.ts). `| 0` keeps the same bits as the usual `>>> 0`.
  const state = new Int32Array([mix(), mix(), mix(), mix()]);

  const next = (): number => {
    const a = state[0] as number;
    const b = state[1] as number;
    const c = state[2] as number;
    const d = state[3] as number;
    const t = (a + b + d) | 0;
    state[3] = (d + 1) | 0;
    state[0] = b ^ (b >>> 9);
    state[1] = (c + (c << 3)) | 0;
    state[2] = (((c << 21) | (c >>> 11)) + t) | 0;
    return (t >>> 0) / 4294967296;
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

/** A uniform integer in [0, n). */
export function randomIndex(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Shuffles `items` in place (Fisher-Yates), every order equally likely; returns `items`. */
export function shuffleInPlace<E, T extends { length: number; [i: number]: E }>(
  rng: Rng,
  items: T,
): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomIndex(rng, i + 1);
    // Both indices are inside the array, so neither read is undefined.
    const swap = items[i] as E;
    items[i] = items[j] as E;
    items[j] = swap;
  }

  return items;
}
