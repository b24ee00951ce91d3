/**
 * The operator contract. An operator receives a context and returns a value; it never knows
 * which runner drives it (in-process now, BullMQ later). This is the Airflow `execute(context)`.
 */
import type { AppConfig } from '../config/schema.ts';
import type { HttpClient } from '../http/types.ts';
import type { Logger } from '../observe/logger.ts';
import type { Store } from '../store/types.ts';
import type { PlatformName } from '../platforms/types.ts';

export const TASK_NAMES = ['health', 'scrape', 'engine', 'thompson', 'metrics'] as const;
export type TaskName = (typeof TASK_NAMES)[number];

/** A progress event an operator emits while it works; the CLI renders them. */
export interface ProgressEvent {
  task: TaskName;
  /** e.g. `reddit:spez` */
  item?: string;
  message: string;
  done?: number;
  total?: number;
}

/** A small cache an operator may use; memory in the embedded mode (Redis joins later). */
export interface Cache {
  /**
   * The value under `key`, else the value `factory` gives, stored for `ttlMs` (not at all when
   * `ttlMs` <= 0). Concurrent callers of one key share one factory run. Counts a hit or a miss.
   */
  getOrSet<T>(key: string, ttlMs: number, factory: () => Promise<T>): Promise<T>;
  /**
   * The value under `key`, or `undefined` when no tier holds it (a stored `undefined` reads the
   * same). Counts a hit or a miss, like `getOrSet`, at the tier that answered.
   */
  get<T>(key: string): Promise<T | undefined>;
  /** Stores `value` under `key` for `ttlMs` (nothing when `ttlMs` <= 0). Counts nothing. */
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  /** Lookups answered by any tier (hits) and by none (misses). */
  stats(): { hits: number; misses: number };
}

export interface TaskContext {
  runId: string;
  task: TaskName;
  /** 1 for the first attempt. */
  attempt: number;
  config: AppConfig;
  logger: Logger;
  store: Store;
  http: HttpClient;
  cache: Cache;
  /** Aborted on task timeout or run cancellation. */
  signal: AbortSignal;
  now: () => Date;
  /** Outputs of the tasks this one depends on (from this run, or the store when run alone). */
  inputs: Partial<Record<TaskName, unknown>>;
  /** Platforms the health task found down; scrape skips them. */
  downPlatforms: ReadonlySet<PlatformName>;
  /** Why each down platform is down (the health check's error), for the scrape's skip message. */
  downReasons?: ReadonlyMap<PlatformName, string>;
  progress(event: Omit<ProgressEvent, 'task'>): void;
}

export interface Operator<Output = unknown> {
  readonly name: TaskName;
  readonly dependsOn: readonly TaskName[];
  execute(ctx: TaskContext): Promise<Output>;
}
