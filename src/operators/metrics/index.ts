/** The metrics task, the Prometheus/OpenMetrics parser, JSON paths and the history comparison. */
export { createMetricsOperator } from './collector.ts';
export type { MetricsOperatorOptions, MetricsOutput, TaskFigures } from './collector.ts';
export { collectTarget } from './collect.ts';
export type { JsonMetric, ServiceMetrics, Target } from './collect.ts';
export { aggregateFamilies, aggregateFamily } from './aggregate.ts';
export type { FamilyAggregate, HistogramAggregate } from './aggregate.ts';
export { compareWithHistory } from './history.ts';
export type {
  CurrentFigures,
  FigureHistory,
  HistoryComparison,
  HistoryFigure,
  HistoryOptions,
  Regression,
  TaskHistory,
} from './history.ts';
export { JsonPathSyntaxError, parseJsonPath, readJsonPath } from './json-path.ts';
export type { JsonPathResult, JsonPathStep } from './json-path.ts';
export { formatOfContentType, METRIC_TYPES, parsePrometheusText } from './prometheus.ts';
export type {
  Exemplar,
  ExpositionFormat,
  MetricFamily,
  MetricType,
  ParseIssue,
  ParseOptions,
  ParseResult,
  Sample,
} from './prometheus.ts';
