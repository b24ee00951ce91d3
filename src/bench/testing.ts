/**
 * Fixtures for the bench's unit tests: child runs and target summaries with round numbers.
 * @internal
 */
import type { LimitInputs } from './limits.ts';
import { summarizeTarget, type ChildRun, type TargetSummary } from './summary.ts';
import type { BenchTarget, PassFigures } from './types.ts';

const MB = 1_000_000;

/** A cold pass with the given figures (the rest zero or succeeded). */
export function pass(figures: Partial<PassFigures> = {}): PassFigures {
  return {
    wallMs: 100,
    cpuMs: 10,
    status: 'succeeded',
    requests: 0,
    connections: 0,
    bytesIn: 0,
    bytesOut: 0,
    retries: 0,
    cacheHits: 0,
    cacheMisses: 0,
    posts: 0,
    pages: 0,
    ...figures,
  };
}

/** A measuring child's run: `peakMb` of peak RSS, `cold` (and optionally `warm`) passes. */
export function childRun(
  cold: Partial<PassFigures>,
  options: { peakMb?: number; warm?: Partial<PassFigures> } = {},
): ChildRun {
  const coldPass = pass(cold);
  const warm = options.warm === undefined ? undefined : pass(options.warm);

  return {
    kind: 'measure',
    peakRssBytes: (options.peakMb ?? 90) * MB,
    loadedRssBytes: 80 * MB,
    cold: coldPass,
    ...(warm ? { warm } : {}),
    processMs: 500,
    server: {
      requests: coldPass.requests + (warm?.requests ?? 0),
      connections: coldPass.connections + (warm?.connections ?? 0),
      cpuMs: 5,
    },
  };
}

/** 24 Bluesky accounts of 60 posts in pages of 20, 2 services, concurrency 8, 20 connections. */
export const LIMITS: LimitInputs = {
  accounts: Array.from({ length: 24 }, () => ({ platform: 'bluesky', posts: 60, pageSize: 20 })),
  services: 2,
  concurrency: 8,
  connections: 20,
};

/**
 * A scrape summary: naive runs of `naiveMs`, optimised runs of `optimizedMs`, pair by pair, with
 * the scenario's 72 requests, 8 connections cold and none warm, at `peakMb`.
 */
export function scrapeSummary(
  naiveMs: readonly number[],
  optimizedMs: readonly number[],
  options: { peakMb?: number; requests?: number; connections?: number } = {},
): TargetSummary {
  const requests = options.requests ?? 72;
  return summarizeTarget(
    'scrape',
    {
      naive: naiveMs.map((wallMs) =>
        childRun({ wallMs, requests, connections: requests }, { peakMb: 88 }),
      ),
      optimized: optimizedMs.map((wallMs) =>
        childRun(
          { wallMs, requests, connections: options.connections ?? 8 },
          { peakMb: options.peakMb ?? 95, warm: { wallMs: wallMs * 0.8, requests } },
        ),
      ),
    },
    80 * MB,
    LIMITS,
  );
}

/** A summary of `target` with one pair of the given times and no network figures. */
export function plainSummary(target: BenchTarget, naiveMs: number, optimizedMs: number) {
  return summarizeTarget(
    target,
    { naive: [childRun({ wallMs: naiveMs })], optimized: [childRun({ wallMs: optimizedMs })] },
    80 * MB,
    LIMITS,
  );
}
