/**
 * The shapes `flywheel bench` passes between its parent and its child processes and writes as
 * JSON. Kept free of imports with side effects: a child loads this file too.
 */
import type { PlatformName } from '../platforms/types.ts';

/** What the bench measures: each operator alone, and the whole run. */
export const BENCH_TARGETS = ['health', 'scrape', 'engine', 'thompson', 'metrics', 'run'] as const;
export type BenchTarget = (typeof BENCH_TARGETS)[number];

/** A: the naive profile; B: the optimised one. */
export const VARIANTS = ['naive', 'optimized'] as const;
export type Variant = (typeof VARIANTS)[number];

/**
 * Kinds of operation, each with its own p99 limit: `probe` (one request per target: health,
 * metrics), `fetch` (many requests: scrape, engine), `compute` (no network: thompson) and `run`.
 */
export const OPERATION_KINDS = ['probe', 'fetch', 'compute', 'run'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/** The kind of each target and whether the network is on its path. */
export const TARGET_KINDS: Record<BenchTarget, { kind: OperationKind; isNetwork: boolean }> = {
  health: { kind: 'probe', isNetwork: true },
  scrape: { kind: 'fetch', isNetwork: true },
  engine: { kind: 'fetch', isNetwork: true },
  thompson: { kind: 'compute', isNetwork: false },
  metrics: { kind: 'probe', isNetwork: true },
  run: { kind: 'run', isNetwork: true },
};

/** One measurement a child makes. */
export type ChildJob = MeasureJob | FloorJob | ImportJob;

/** Runs one target (an operator alone, or the whole run) cold, then optionally warm. */
export interface MeasureJob {
  kind: 'measure';
  target: BenchTarget;
  profile: Variant;
  /** The config as a user would write it, without `profile` and `store`. */
  config: Record<string, unknown>;
  /** Credentials for the simulator (it accepts any). */
  env: Record<string, string>;
  /** A fresh copy of the store the cold pass starts from. */
  coldStore: string;
  /** A fresh copy for the warm pass (same HTTP client and cache); none: no warm pass. */
  warmStore?: string;
  /** Where the run's clock starts, ms since the epoch; it then advances in real time. */
  clockStartMs: number;
  resultFile: string;
}

/** Loads the modules of a measuring (`pipeline`) or importing (`store`) child and stops. */
export interface FloorJob {
  kind: 'floor';
  modules: 'pipeline' | 'store';
  resultFile: string;
}

/** Streams generated posts into a new SQLite store page by page, as the scraper writes them. */
export interface ImportJob {
  kind: 'import';
  posts: number;
  pageSize: number;
  storePath: string;
  seed: number;
  resultFile: string;
}

/** HTTP, cache and time figures of one pass (cold or warm) of a target. */
export interface PassFigures {
  /** The target's own time: the task's duration, or the run's from first task to last. */
  wallMs: number;
  /** CPU time (user + system) of the child during the pass, ms: where the wall time went. */
  cpuMs: number;
  /** `succeeded`, or the task's (the run's) status when it is not. */
  status: string;
  error?: string;
  requests: number;
  connections: number;
  bytesIn: number;
  bytesOut: number;
  retries: number;
  cacheHits: number;
  cacheMisses: number;
  /** Posts the store holds after the pass. */
  posts: number;
  /** Pages the scrape read (0 when it did not run). */
  pages: number;
  /**
   * Per platform, the stored posts young enough for the engine's refresh at the moment the
   * engine started; absent when the pass did not run the engine.
   */
  recentPosts?: Partial<Record<PlatformName, number>>;
  /** For the whole run: each task's time and counts. */
  tasks?: Array<{
    task: string;
    status: string;
    durationMs: number;
    requests: number;
    connections: number;
  }>;
}

/** What a child reports. */
export interface ChildResult {
  kind: ChildJob['kind'];
  /** Peak resident set size of the child so far (after the cold pass), bytes. */
  peakRssBytes: number;
  /** Peak resident set size once its modules were loaded, before any work, bytes. */
  loadedRssBytes: number;
  cold?: PassFigures;
  warm?: PassFigures;
  /** The import's figures. */
  import?: { posts: number; pages: number; wallMs: number; storedPosts: number };
}
