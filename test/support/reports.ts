/** Run reports built by hand for tests of what reads them (renderers, the CLI, the server). */
import type { RunReport } from '../../src/observe/report-types.ts';

/** Every section of a report with nothing in it. */
export const EMPTY_SECTIONS = {
  tasks: [],
  posts: { total: 0, new: 0, updated: 0, pages: 0, byAccount: [] },
  viral: [],
  arms: [],
  recommendations: [],
  health: [],
  metrics: [],
  http: { requests: 0, connections: 0, reuseRatio: null, bytesIn: 0, retries: 0 },
  problems: [],
} satisfies Partial<RunReport>;

/** A one-second successful run that did nothing. */
export function emptyReport(runId = 'run-1'): RunReport {
  return {
    runId,
    status: 'succeeded',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    durationMs: 1000,
    profile: 'optimized',
    ...EMPTY_SECTIONS,
  };
}
