/**
 * Turns the children's raw figures into one summary per target (naive beside optimised, the
 * ratio pair by pair, the limits), the shape `--json` writes and the table reads.
 */
import type { PlatformName } from '../platforms/types.ts';
import {
  hitRatio,
  improvement,
  medianRatio,
  pairRatios,
  reuseRatio,
  sampleStats,
  speedup,
  steadyCount,
  type SampleStats,
} from './figures.ts';
import { expectedConnections, minimumRequests, type LimitInputs } from './limits.ts';
import {
  TARGET_KINDS,
  type BenchTarget,
  type ChildResult,
  type OperationKind,
  type PassFigures,
  type Variant,
} from './types.ts';

/** One child's report plus what the parent saw of it. */
export interface ChildRun extends ChildResult {
  /** From spawn to exit, ms: start-up and module loading included. */
  processMs: number;
  /** Requests and connections the simulator counted during this child (cold and warm), and the
   * parent's CPU time meanwhile (serving them, mostly), ms. */
  server: { requests: number; connections: number; cpuMs: number };
}

/** A warm pass: the same work again on the same HTTP client and cache. */
export interface WarmSummary {
  wallMs: number;
  requests: number;
  connections: number;
  reuse: number | null;
  cacheHitRatio: number | null;
}

/** One profile of one target over all its runs. */
export interface VariantSummary {
  runs: number;
  wallMs: SampleStats;
  peakRssBytes: SampleStats;
  /** Median peak RSS minus the median import floor, bytes. */
  rssAboveFloorBytes: number;
  processMs: SampleStats;
  requests: number;
  connections: number;
  /** CPU time of the child during the measured pass, ms (median). */
  cpuMs: number;
  /** Whether every run made the same requests and connections (no faults, no retries). */
  isSteady: boolean;
  reuse: number | null;
  bytesIn: number;
  retries: number;
  cacheHitRatio: number | null;
  /** The simulator's count of this child's requests and connections (cold and warm passes), and
   * the CPU time of the process serving them (the parent) while the child ran, ms. */
  server: { requests: number; connections: number; cpuMs: number };
  /** Runs whose pass did not succeed, with the reason. */
  failures: string[];
  warm?: WarmSummary;
  /** The whole run's tasks, from its median run. */
  tasks?: PassFigures['tasks'];
}

/** A target's naive and optimised figures side by side, and the limits they are held to. */
export interface TargetSummary {
  target: BenchTarget;
  kind: OperationKind;
  isNetwork: boolean;
  naive: VariantSummary;
  optimized: VariantSummary;
  /** Optimised wall time over naive, pair by pair. */
  ratios: number[];
  medianRatio: number | null;
  /** 1 - median ratio. */
  improvement: number | null;
  /** 1 / median ratio. */
  speedup: number | null;
  /** Posts young enough to be refreshed, per platform, where the target runs the engine. */
  recentPosts?: Partial<Record<PlatformName, number>>;
  minimumRequests: number;
  /** Optimised requests over the minimum; null when the minimum is 0. */
  requestRatio: number | null;
  expectedConnections: { cold: number; warm: number };
}

function cold(run: ChildRun): PassFigures {
  if (run.cold === undefined) throw new Error('a measuring child reported no cold pass');
  return run.cold;
}

function summarizeWarm(runs: readonly ChildRun[]): WarmSummary | undefined {
  const warm = runs.flatMap((run) => (run.warm === undefined ? [] : [run.warm]));
  if (warm.length === 0) return undefined;
  const pick = (key: 'requests' | 'connections' | 'cacheHits' | 'cacheMisses') =>
    steadyCount(warm.map((pass) => pass[key])).value;
  const requests = pick('requests');
  const connections = pick('connections');

  return {
    wallMs: sampleStats(warm.map((pass) => pass.wallMs)).median,
    requests,
    connections,
    reuse: reuseRatio(requests, connections),
    cacheHitRatio: hitRatio(pick('cacheHits'), pick('cacheMisses')),
  };
}

/** Summarises one profile's runs; `floorBytes` is the median import floor. */
export function summarizeVariant(runs: readonly ChildRun[], floorBytes: number): VariantSummary {
  if (runs.length === 0) throw new RangeError('summarizeVariant: no runs');
  const passes = runs.map(cold);
  const count = (key: 'requests' | 'connections' | 'bytesIn' | 'retries') =>
    steadyCount(passes.map((pass) => pass[key]));
  const requests = count('requests');
  const connections = count('connections');
  const peak = sampleStats(runs.map((run) => run.peakRssBytes));
  const wall = sampleStats(passes.map((pass) => pass.wallMs));
  const hits = steadyCount(passes.map((pass) => pass.cacheHits)).value;
  const misses = steadyCount(passes.map((pass) => pass.cacheMisses)).value;
  const warm = summarizeWarm(runs);
  const medianRun = passes.reduce((best, pass) =>
    Math.abs(pass.wallMs - wall.median) < Math.abs(best.wallMs - wall.median) ? pass : best,
  );

  return {
    runs: runs.length,
    wallMs: wall,
    peakRssBytes: peak,
    rssAboveFloorBytes: peak.median - floorBytes,
    processMs: sampleStats(runs.map((run) => run.processMs)),
    cpuMs: sampleStats(passes.map((pass) => pass.cpuMs)).median,
    requests: requests.value,
    connections: connections.value,
    isSteady: requests.isSteady && connections.isSteady,
    reuse: reuseRatio(requests.value, connections.value),
    bytesIn: count('bytesIn').value,
    retries: count('retries').value,
    cacheHitRatio: hitRatio(hits, misses),
    server: {
      requests: steadyCount(runs.map((run) => run.server.requests)).value,
      connections: steadyCount(runs.map((run) => run.server.connections)).value,
      cpuMs: sampleStats(runs.map((run) => run.server.cpuMs)).median,
    },
    failures: passes.flatMap((pass) =>
      pass.status === 'succeeded' ? [] : [`${pass.status}: ${pass.error ?? 'no reason given'}`],
    ),
    ...(warm === undefined ? {} : { warm }),
    ...(medianRun.tasks === undefined ? {} : { tasks: medianRun.tasks }),
  };
}

/** The recent-post counts the runs agree on (the first run's, which all share when steady). */
function recentOf(runs: readonly ChildRun[]): Partial<Record<PlatformName, number>> | undefined {
  return runs.map(cold).find((pass) => pass.recentPosts !== undefined)?.recentPosts;
}

/**
 * Summarises one target: both profiles, the ratios pair by pair (naive and optimised runs in
 * the order they ran), and the target's minimum requests and expected connections.
 */
export function summarizeTarget(
  target: BenchTarget,
  runs: Record<Variant, readonly ChildRun[]>,
  floorBytes: number,
  inputs: LimitInputs,
): TargetSummary {
  const naive = summarizeVariant(runs.naive, floorBytes);
  const optimized = summarizeVariant(runs.optimized, floorBytes);
  const ratios = pairRatios(
    runs.naive.map((run) => cold(run).wallMs),
    runs.optimized.map((run) => cold(run).wallMs),
  );
  const ratio = medianRatio(ratios);
  const recent = recentOf(runs.optimized) ?? recentOf(runs.naive);
  const minimum = minimumRequests(target, inputs, recent ?? {});

  return {
    target,
    ...TARGET_KINDS[target],
    naive,
    optimized,
    ratios,
    medianRatio: ratio,
    improvement: improvement(ratio),
    speedup: speedup(ratio),
    ...(recent === undefined ? {} : { recentPosts: recent }),
    minimumRequests: minimum,
    requestRatio: minimum === 0 ? null : optimized.requests / minimum,
    expectedConnections: {
      cold: expectedConnections(target, 'optimized', 'cold', inputs, optimized.requests, recent),
      warm: 0,
    },
  };
}
