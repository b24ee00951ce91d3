/**
 * Several order statistics of a large array in one read pass, without copying it: the
 * Floyd-Rivest idea applied to many ranks at once.
 *
 * 1. Sort a small pseudo-random sample and, for each wanted rank, take two sample values that
 *    bracket it with a wide safety margin (four standard deviations of the sample position).
 * 2. One pass over the data counts the values below each bracket and copies the values inside
 *    brackets (a few percent of them) aside.
 * 3. Each rank is then selected inside its small bracket. The counts prove the bracket held the
 *    rank; in the rare case it did not, the whole array is copied and selected directly, so the
 *    result is always exact.
 * NaN values are skipped as if absent.
 * @internal
 */
import { selectRanks } from './select.ts';

/** Below this many values the direct copy-and-select path is as fast and simpler. */
const DIRECT_BELOW = 50_000;

/** Sample-position standard deviations each bracket spans on either side. */
const MARGIN_SIGMAS = 4;

/** @internal Knobs for tests: a useless sample must still give exact answers. */
export interface OrderStatisticsOptions {
  /** Values drawn for the sample. Default: count^(2/3). */
  sampleSize?: number;
  /** Counts below this use copy-and-select. Default: 50,000. */
  directBelow?: number;
}

interface Bracket {
  low: number;
  high: number;
  /** Ranks (ascending) this bracket is meant to hold. */
  ranks: number[];
  /** Values counted below `low` (all brackets before this one included). */
  below: number;
  inside: Float64Array;
  size: number;
}

/**
 * The values at `ranks` (ascending, distinct, in [0, count)) among the non-NaN values of
 * `values`, of which there are `count`. Does not mutate `values`.
 * @internal
 */
export function orderStatistics(
  values: Float64Array,
  ranks: readonly number[],
  count: number,
  options: OrderStatisticsOptions = {},
): number[] {
  const directBelow = options.directBelow ?? DIRECT_BELOW;
  if (count < directBelow || ranks.length === 0) return direct(values, ranks, count);

  const sampleSize = options.sampleSize ?? Math.round(count ** (2 / 3));
  const brackets = makeBrackets(values, ranks, count, sampleSize);
  if (brackets === null) return direct(values, ranks, count);
  distribute(values, brackets);

  const found: number[] = [];
  for (const bracket of brackets) {
    const first = bracket.ranks[0] as number;
    const last = bracket.ranks.at(-1) as number;
    // The counts prove whether the bracket really holds its ranks; a miss costs speed, not truth.
    if (first < bracket.below || last >= bracket.below + bracket.size) {
      return direct(values, ranks, count);
    }

    const inside = bracket.inside.subarray(0, bracket.size);
    const local = bracket.ranks.map((rank) => rank - bracket.below);
    selectRanks(inside, local);
    for (const rank of local) found.push(inside[rank] as number);
  }

  return found;
}

/** Copies the non-NaN values and selects the ranks in the copy. */
function direct(values: Float64Array, ranks: readonly number[], count: number): number[] {
  const copy = new Float64Array(count);
  let next = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (value === value) copy[next++] = value;
  }

  selectRanks(copy, ranks);
  return ranks.map((rank) => copy[rank] as number);
}

/** Brackets around each rank from a sorted sample; overlapping brackets are merged. */
function makeBrackets(
  values: Float64Array,
  ranks: readonly number[],
  count: number,
  sampleSize: number,
): Bracket[] | null {
  const sample = drawSample(values, sampleSize);
  const s = sample.length;
  // Every draw hit a NaN: no sample to bracket with.
  if (s === 0) return null;
  const brackets: Bracket[] = [];

  for (const rank of ranks) {
    const p = rank / (count - 1 || 1);
    const center = p * (s - 1);
    const margin = Math.ceil(MARGIN_SIGMAS * Math.sqrt(s * p * (1 - p))) + 2;
    const low = sample[Math.max(0, Math.floor(center) - margin)] as number;
    const high = sample[Math.min(s - 1, Math.ceil(center) + margin)] as number;

    const previous = brackets.at(-1);
    if (previous !== undefined && low <= previous.high) {
      previous.high = Math.max(previous.high, high);
      previous.ranks.push(rank);
    } else {
      brackets.push({ low, high, ranks: [rank], below: 0, inside: new Float64Array(0), size: 0 });
    }
  }

  return brackets;
}

/**
 * A sorted sample of about `size` non-NaN values at pseudo-random positions. A fixed seed keeps
 * runs reproducible; the result never depends on which values were drawn, only the speed.
 */
function drawSample(values: Float64Array, size: number): Float64Array {
  const sample = new Float64Array(size);
  let state = 0x9e3779b9;
  let taken = 0;
  // Bounded tries: an array that is mostly NaN just gives a smaller sample.
  for (let tries = 0; taken < size && tries < size * 4; tries++) {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const value = values[(state >>> 0) % values.length] as number;
    if (value === value) sample[taken++] = value;
  }

  return sample.subarray(0, taken).sort();
}

/** One pass: counts values below each bracket and copies the values inside brackets aside. */
function distribute(values: Float64Array, brackets: Bracket[]): void {
  const m = brackets.length;
  const lows = Float64Array.from(brackets, (bracket) => bracket.low);
  const highs = Float64Array.from(brackets, (bracket) => bracket.high);
  // gaps[j]: values between bracket j - 1 and bracket j (gaps[0]: below the first).
  const gaps = new Float64Array(m + 1);
  const insides = brackets.map(() => new Float64Array(1024));
  const sizes = new Int32Array(m);

  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (value !== value) continue;

    let j = 0;
    while (j < m && value > (highs[j] as number)) j++;
    if (j < m && value >= (lows[j] as number)) {
      let inside = insides[j] as Float64Array;
      const size = sizes[j] as number;
      if (size === inside.length) {
        const grown = new Float64Array(inside.length * 2);
        grown.set(inside);
        insides[j] = inside = grown;
      }
      inside[size] = value;
      sizes[j] = size + 1;
    } else {
      gaps[j] = (gaps[j] as number) + 1;
    }
  }

  let below = 0;
  brackets.forEach((bracket, j) => {
    below += gaps[j] as number;
    bracket.below = below;
    bracket.inside = insides[j] as Float64Array;
    bracket.size = sizes[j] as number;
    below += bracket.size;
  });
}
