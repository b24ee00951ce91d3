/**
 * This run's task figures against the stored history of earlier runs: the median and p99 of
 * past durations and peak memory per task, and a regression flag when this run is worse than
 * the median by more than a configured fraction (and a configured absolute amount, so that
 * millisecond jitter on a fast task never raises a flag).
 */
import type { MetricsConfig } from '../../config/schema.ts';
import { quantiles } from '../../stats/index.ts';
import type { TaskRunRecord } from '../../store/types.ts';

/** The history settings (`metrics.history` in the config). */
export type HistoryOptions = MetricsConfig['history'];

/** The figures compared: wall time and peak resident memory. */
export type HistoryFigure = 'duration' | 'memory';

/** One figure of one task: this run beside the history. */
export interface FigureHistory {
  /** This run's value (milliseconds or bytes); null when the task did not record it. */
  current: number | null;
  /** Median of the earlier runs; null without history. */
  median: number | null;
  /** p99 (type 7) of the earlier runs; null without history. */
  p99: number | null;
  /** current / median - 1; null when either is missing or the median is 0. */
  change: number | null;
  /** Whether the change passes both the relative threshold and the absolute minimum. */
  isRegression: boolean;
}

/** One task of this run against its history. */
export interface TaskHistory {
  task: string;
  /** Earlier successful runs of this task that were compared. */
  runs: number;
  /** Whether there were enough earlier runs (`minRuns`) to give a verdict. */
  hasVerdict: boolean;
  duration: FigureHistory;
  memory: FigureHistory;
}

/** A figure that got worse beyond its threshold. */
export interface Regression {
  task: string;
  figure: HistoryFigure;
  current: number;
  median: number;
  p99: number;
  change: number;
  threshold: number;
  /** A sentence for the report, e.g. "scrape took 2.1 s, +85% over the median 1.1 s of 12 runs". */
  message: string;
}

/** The comparison of this run with history. */
export interface HistoryComparison {
  tasks: TaskHistory[];
  regressions: Regression[];
}

/** This run's figures for one task, as the comparison needs them. */
export interface CurrentFigures {
  task: string;
  durationMs: number | null;
  peakRssBytes: number | null;
}

/**
 * Compares each task of this run with the same task's earlier runs.
 * @param current This run's succeeded tasks.
 * @param earlier Earlier successful runs (`Store.listTaskHistory`), any order.
 */
export function compareWithHistory(
  current: readonly CurrentFigures[],
  earlier: readonly TaskRunRecord[],
  options: HistoryOptions,
): HistoryComparison {
  const tasks: TaskHistory[] = [];
  const regressions: Regression[] = [];

  for (const figures of current) {
    const past = earlier.filter((run) => run.task === figures.task);
    const hasVerdict = past.length >= options.minRuns;
    const duration = compareFigure(
      figures.durationMs,
      past.map((run) => run.durationMs),
      hasVerdict,
      options.durationThreshold,
      options.minDurationChangeMs,
    );
    const memory = compareFigure(
      figures.peakRssBytes,
      past.map((run) => run.peakRssBytes),
      hasVerdict,
      options.memoryThreshold,
      options.minMemoryChangeBytes,
    );
    tasks.push({ task: figures.task, runs: past.length, hasVerdict, duration, memory });

    const runs = past.length;
    if (duration.isRegression) {
      regressions.push(
        regression(figures.task, 'duration', duration, options.durationThreshold, runs),
      );
    }
    if (memory.isRegression) {
      regressions.push(regression(figures.task, 'memory', memory, options.memoryThreshold, runs));
    }
  }

  return { tasks, regressions };
}

function compareFigure(
  current: number | null,
  pastValues: ReadonlyArray<number | null>,
  hasVerdict: boolean,
  threshold: number,
  minChange: number,
): FigureHistory {
  const past = pastValues.filter((value): value is number => value !== null);
  if (past.length === 0) {
    return { current, median: null, p99: null, change: null, isRegression: false };
  }

  const [median, p99] = quantiles(past, [0.5, 0.99]) as [number, number];
  const change = current === null || median === 0 ? null : current / median - 1;
  const isRegression =
    hasVerdict &&
    change !== null &&
    current !== null &&
    change > threshold &&
    current - median >= minChange;

  return { current, median, p99, change, isRegression };
}

function regression(
  task: string,
  figure: HistoryFigure,
  history: FigureHistory,
  threshold: number,
  runs: number,
): Regression {
  const current = history.current as number;
  const median = history.median as number;
  const change = history.change as number;
  const show = figure === 'duration' ? showDuration : showBytes;
  const verb = figure === 'duration' ? 'took' : 'peaked at';
  const p99 = history.p99 as number;
  const beyond = current > p99 ? `, above their p99 ${show(p99)}` : '';

  return {
    task,
    figure,
    current,
    median,
    p99,
    change,
    threshold,
    message:
      `${task} ${verb} ${show(current)}, +${percent(change)} over the median ${show(median)} ` +
      `of ${runs} earlier runs (threshold +${percent(threshold)}${beyond})`,
  };
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

function showDuration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function showBytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(0)} MiB`;
}
