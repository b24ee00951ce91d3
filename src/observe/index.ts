/** Observability: the logger contract, Flywheel's Prometheus metrics, peak memory, the run report. */
export { silentLogger } from './logger.ts';
export type { LogFields, Logger } from './logger.ts';
export { BREAKER_STATES, createFlywheelMetrics } from './metrics.ts';
export type {
  FlywheelMetrics,
  FlywheelMetricsOptions,
  HealthFiguresInput,
  HistoryInput,
  TaskFiguresInput,
} from './metrics.ts';
export { trackPeakRss } from './memory.ts';
export { useLeanRuntime } from './runtime.ts';
export type { PeakRssTracker } from './memory.ts';
export { renderMarkdownReport, renderReport } from './report.ts';
export type {
  RenderOptions,
  ReportAccount,
  ReportArm,
  ReportCache,
  ReportCacheTier,
  ReportHealth,
  ReportHttpOrigin,
  ReportHistory,
  ReportMetrics,
  ReportRecommendation,
  ReportTask,
  ReportViralPost,
  RunReport,
} from './report.ts';
export { renderTable } from './table.ts';
export type { Cell, Column, TableOptions, Tone } from './table.ts';
export { formatBytes, formatCount, formatDuration, formatFixed, formatPercent } from './format.ts';
