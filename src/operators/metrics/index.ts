/** The metrics task and the Prometheus text parser. */
export { aggregateFamilies, createMetricsOperator, fetchScrape } from './collector.ts';
export type {
  FamilyAggregate,
  MetricsOperatorOptions,
  MetricsOutput,
  RunFigures,
  ServiceMetrics,
  TaskComparison,
  TaskFigures,
} from './collector.ts';
export { METRIC_TYPES, parsePrometheusText } from './prometheus.ts';
export type {
  Exemplar,
  MetricFamily,
  MetricType,
  ParseIssue,
  ParseResult,
  Sample,
} from './prometheus.ts';
