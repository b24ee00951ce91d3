/**
 * Seeded randomness for the simulator: mulberry32 (a tiny 32-bit generator, plenty for fake
 * engagement) plus FNV-1a hashing to derive independent streams per account, post or service,
 * so adding an account never shifts another account's numbers.
 */

/** FNV-1a over the parts' text: a stable 32-bit seed for a named stream. */
export function hashSeed(...parts: readonly (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const char of parts.join('\u0000')) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }

  return hash >>> 0;
}

/** A seeded random stream. */
export class Random {
  #state: number;

  /** `seed` is any 32-bit integer; use `hashSeed` to derive one from names. */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    // mulberry32 (Tommy Ettinger): one add, two multiplies, good enough equidistribution.
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A float in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A standard normal draw (Box-Muller; the second value is dropped for simplicity). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();

    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A log-normal draw with the given median and log-space sigma. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');

    return item;
  }

  /** One key, with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }

    return entries[entries.length - 1]![0];
  }

  /** A string of `length` characters drawn from `alphabet`. */
  string(length: number, alphabet: string): string {
    let text = '';
    for (let index = 0; index < length; index += 1)
      text += alphabet[Math.floor(this.next() * alphabet.length)];

    return text;
  }
}

/** Creates a stream from a seed and optional names (`createRandom(42, 'bluesky', 3)`). */
export function createRandom(seed: number, ...names: readonly (string | number)[]): Random {
  return new Random(names.length === 0 ? seed : hashSeed(seed, ...names));
}
