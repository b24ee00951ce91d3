/**
 * Selection on Float64Array: put the k-th smallest value at index k without sorting the rest.
 *
 * `selectRanks` places several ranks in one recursive partitioning (multiple quickselect), so
 * p50, p90, p95 and p99 of ten million values cost a few linear passes instead of a sort; the
 * bench (`npm run bench:metrics`) measures it against `Float64Array.prototype.sort`.
 * Inputs must be NaN-free: NaN compares false both ways and would break the partition invariants.
 * @internal
 */

/** Below this size a range is finished by insertion sort, which beats partitioning there. */
const SMALL_RANGE = 24;

/** Above this size a single rank uses Floyd-Rivest sampling to pick a tight pivot pair. */
const FLOYD_RIVEST_RANGE = 600;

function at(values: Float64Array, index: number): number {
  return values[index] as number;
}

function swap(values: Float64Array, i: number, j: number): void {
  const tmp = at(values, i);
  values[i] = at(values, j);
  values[j] = tmp;
}

function insertionSort(values: Float64Array, lo: number, hi: number): void {
  for (let i = lo + 1; i <= hi; i++) {
    const value = at(values, i);
    let j = i - 1;
    while (j >= lo && at(values, j) > value) {
      values[j + 1] = at(values, j);
      j--;
    }
    values[j + 1] = value;
  }
}

/**
 * Floyd and Rivest's SELECT (CACM 1975, algorithm 489): recursively select within a sample around
 * the expected position of k so that the final partition of [lo, hi] leaves k in a small range.
 * About n + min(k, n - k) comparisons on average, against roughly 3.4n for median-of-three.
 */
function floydRivest(values: Float64Array, left: number, right: number, k: number): void {
  let lo = left;
  let hi = right;

  while (hi > lo) {
    if (hi - lo > FLOYD_RIVEST_RANGE) {
      const n = hi - lo + 1;
      const m = k - lo + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      const newLo = Math.max(lo, Math.floor(k - (m * s) / n + sd));
      const newHi = Math.min(hi, Math.floor(k + ((n - m) * s) / n + sd));
      floydRivest(values, newLo, newHi, k);
    }

    // Partition [lo, hi] around values[k], which the sampled selection made a good pivot.
    const pivot = at(values, k);
    let i = lo;
    let j = hi;
    swap(values, lo, k);
    if (at(values, hi) > pivot) swap(values, hi, lo);
    while (i < j) {
      swap(values, i, j);
      i++;
      j--;
      while (at(values, i) < pivot) i++;
      while (at(values, j) > pivot) j--;
    }

    if (at(values, lo) === pivot) {
      swap(values, lo, j);
    } else {
      j++;
      swap(values, j, hi);
    }
    if (j <= k) lo = j + 1;
    if (k <= j) hi = j - 1;
  }
}

/**
 * Rearranges `values` in place so that index `k` holds the k-th smallest value, everything
 * before it is <= and everything after it is >=.
 * @internal
 */
export function selectInPlace(values: Float64Array, k: number): number {
  floydRivest(values, 0, values.length - 1, k);
  return at(values, k);
}

/**
 * Rearranges `values` in place so that every index in `ranks` holds its order statistic, as a
 * full sort would, and each stretch between two consecutive ranks holds the values that belong
 * there (in any order). `ranks` must be ascending, without duplicates, within bounds.
 * @internal
 */
export function selectRanks(values: Float64Array, ranks: readonly number[]): void {
  // A stack of [lo, hi, first rank, last rank + 1] instead of recursion.
  const stack: number[] = [0, values.length - 1, 0, ranks.length];

  while (stack.length > 0) {
    const end = stack.pop() as number;
    const start = stack.pop() as number;
    const hi = stack.pop() as number;
    const lo = stack.pop() as number;
    if (start >= end || hi < lo) continue;
    if (hi - lo < SMALL_RANGE) {
      insertionSort(values, lo, hi);
      continue;
    }

    // Select the wanted rank nearest the middle of the range: the halves left to partition then
    // shrink fastest (p50 first, then p95 in the upper half, and so on).
    const middle = nearestRank(ranks, start, end, (lo + hi) / 2);
    const k = ranks[middle] as number;
    if (k === lo) moveExtreme(values, lo, hi, lo);
    else if (k === hi) moveExtreme(values, lo, hi, hi);
    else floydRivest(values, lo, hi, k);
    stack.push(lo, k - 1, start, middle, k + 1, hi, middle + 1, end);
  }
}

function nearestRank(ranks: readonly number[], start: number, end: number, target: number): number {
  let best = start;
  for (let r = start + 1; r < end; r++) {
    if (Math.abs((ranks[r] as number) - target) < Math.abs((ranks[best] as number) - target))
      best = r;
  }
  return best;
}

/**
 * Puts the minimum (at = lo) or the maximum (at = hi) of [lo, hi] at `at` with one scan: the
 * interpolation neighbour of a rank is often the first rank of what is left.
 */
function moveExtreme(values: Float64Array, lo: number, hi: number, target: number): void {
  const isMin = target === lo;
  let best = target;
  for (let i = lo; i <= hi; i++) {
    const value = at(values, i);
    if (isMin ? value < at(values, best) : value > at(values, best)) best = i;
  }
  swap(values, best, target);
}
