/**
 * A post's engagement over its age, read from its stored count snapshots, and the value at a
 * given age interpolated from them.
 *
 * Ages are milliseconds since the post was created. Values are log1p(engagement), the unit of
 * every baseline. Between two snapshots the value is interpolated linearly in log(age): early
 * growth of a post is close to a power of its age (N ∝ t^k), which is a straight line in
 * log1p(N) against log(t), so a post seen at 4 h and 9 h gives a fair figure for 6 h.
 *
 * Only snapshots "at about" the asked age count: within a factor `tolerance` of it (1.5: 4 h to
 * 9 h for 6 h). With snapshots on both sides the nearest on each side are interpolated; with
 * one side only, the nearest is used as it is. Nothing is extrapolated, and a post never seen
 * near that age gives null.
 */
import type { Counts, Post } from '../../platforms/types.ts';
import { engagementOf } from './engagement.ts';

/** A post's snapshots with known engagement, ascending by age. */
export interface AgeSeries {
  /** Milliseconds since the post was created (0 for snapshots stamped before it). */
  ages: Float64Array;
  /** log1p(engagement) at each age. */
  logs: Float64Array;
}

/** Snapshot-like observations: when the counts were read, and the counts. */
interface Observation {
  observedAt: string;
  counts: Counts;
}

/** The post's age at its latest observation, in ms (0 when unreadable or negative). */
export function ageOf(post: Pick<Post, 'createdAt' | 'observedAt'>): number {
  const age = Date.parse(post.observedAt) - Date.parse(post.createdAt);

  return Number.isFinite(age) && age > 0 ? age : 0;
}

/**
 * The series of a post from its snapshots (or, without any, its latest counts). Snapshots
 * without engagement are left out; two at the same age keep the later one read.
 */
export function seriesOf(post: Post & { snapshots?: readonly Observation[] }): AgeSeries {
  const observations: readonly Observation[] =
    post.snapshots !== undefined && post.snapshots.length > 0 ? post.snapshots : [post];
  const created = Date.parse(post.createdAt);
  const points: { age: number; log: number }[] = [];
  for (const observation of observations) {
    const engagement = engagementOf(observation.counts);
    const age = Date.parse(observation.observedAt) - created;
    if (engagement === null || !Number.isFinite(age)) continue;
    points.push({ age: Math.max(0, age), log: Math.log1p(engagement) });
  }
  // Stable sort: equal ages keep their order, and the later entry wins below.
  points.sort((a, b) => a.age - b.age);

  const ages: number[] = [];
  const logs: number[] = [];
  for (const point of points) {
    if (ages.length > 0 && ages[ages.length - 1] === point.age) {
      logs[logs.length - 1] = point.log;
      continue;
    }
    ages.push(point.age);
    logs.push(point.log);
  }

  return { ages: Float64Array.from(ages), logs: Float64Array.from(logs) };
}

/** Index of the first age >= `age` (ages.length when every age is below). */
function lowerBound(ages: Float64Array, age: number): number {
  let lo = 0;
  let hi = ages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ages[mid] as number) < age) lo = mid + 1;
    else hi = mid;
  }

  return lo;
}

/** A value read at an age, and the snapshots (indices into the series) it came from. */
export interface Reading {
  value: number;
  /** First snapshot used. */
  from: number;
  /** Last snapshot used; equal to `from` when one snapshot was used as it is. */
  to: number;
}

/**
 * log1p(engagement) of the series at `ageMs`, from snapshots within a factor `tolerance` of
 * it (see the module comment), with the snapshots used; null when there is none.
 */
export function readAtAge(series: AgeSeries, ageMs: number, tolerance: number): Reading | null {
  const { ages, logs } = series;
  if (ages.length === 0 || !(ageMs > 0)) return null;

  const at = lowerBound(ages, ageMs);
  const upperAge = ages[at];
  if (upperAge === ageMs) return { value: logs[at] as number, from: at, to: at };

  const hasUpper = upperAge !== undefined && upperAge <= ageMs * tolerance;
  const lowerAge = at > 0 ? (ages[at - 1] as number) : undefined;
  const hasLower = lowerAge !== undefined && lowerAge > 0 && lowerAge * tolerance >= ageMs;
  if (hasUpper && hasLower) {
    const weight = Math.log(ageMs / lowerAge) / Math.log(upperAge / lowerAge);
    const below = logs[at - 1] as number;
    const value = below + weight * ((logs[at] as number) - below);

    return { value, from: at - 1, to: at };
  }
  if (hasUpper) return { value: logs[at] as number, from: at, to: at };

  return hasLower ? { value: logs[at - 1] as number, from: at - 1, to: at - 1 } : null;
}

/** `readAtAge` without the provenance: the value, or null. */
export function valueAtAge(series: AgeSeries, ageMs: number, tolerance: number): number | null {
  return readAtAge(series, ageMs, tolerance)?.value ?? null;
}
