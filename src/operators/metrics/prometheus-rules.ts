/**
 * What each family type allows: which sample suffixes belong to it and what its samples must
 * carry (a numeric `le` on buckets, a numeric `quantile` on summary quantiles, 0/1 in a
 * stateset). A sample that breaks a rule is a malformed line, as `promtool check metrics` and
 * Prometheus' OpenMetrics parser treat it.
 * @internal
 */
import { LineError, parseLabelNumber } from './prometheus-lexer.ts';

/** Family types of both formats; `untyped` (0.0.4) and `unknown` (OpenMetrics) mean the same. */
export const METRIC_TYPES = [
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
  'untyped',
  'unknown',
] as const;
/** A family's type as its `# TYPE` line gave it; `untyped` without one. */
export type MetricType = (typeof METRIC_TYPES)[number];

/** The two text formats. */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

/** Sample name suffixes each type has besides the bare family name (OpenMetrics 1.0, 0.0.4). */
const SUFFIXES: Readonly<Record<MetricType, readonly string[]>> = {
  counter: ['_total', '_created'],
  gauge: [],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  gaugehistogram: ['_bucket', '_gcount', '_gsum'],
  summary: ['_count', '_sum', '_created'],
  info: ['_info'],
  stateset: [],
  untyped: [],
  unknown: [],
};

/** Whether `suffix` (`_bucket`, `_total`, ...) names a child sample of a family of `type`. */
export function isChildSuffix(type: MetricType, suffix: string): boolean {
  return SUFFIXES[type].includes(suffix);
}

/** What a rule needs to know about one sample. */
export interface SampleFacts {
  familyName: string;
  type: MetricType;
  /** '' for the bare family name, else `_bucket`, `_sum`, ... */
  suffix: string;
  labels: Record<string, string>;
  value: number;
  format: ExpositionFormat;
}

/**
 * Whether samples of `type` have rules to check in `format`. Gauges and untyped families have
 * none, nor do counters outside OpenMetrics: the parser skips the check for them.
 */
export function hasSampleRules(type: MetricType, format: ExpositionFormat): boolean {
  switch (type) {
    case 'gauge':
    case 'untyped':
    case 'unknown':
      return false;
    case 'counter':
    case 'info':
      return format === 'openmetrics';
    case 'histogram':
    case 'gaugehistogram':
    case 'summary':
    case 'stateset':
      return true;
  }
}

/**
 * Checks one sample against its family's type.
 * @throws LineError naming what was expected.
 */
export function checkSample(facts: SampleFacts): void {
  const { familyName, type, suffix, labels, value } = facts;

  switch (type) {
    case 'histogram':
    case 'gaugehistogram':
      if (suffix === '') {
        throw new LineError(`a _bucket, _count or _sum sample of ${type} "${familyName}"`);
      }
      if (suffix === '_bucket') requireNumberLabel(labels, 'le', familyName);
      return;
    case 'summary':
      if (suffix === '') requireNumberLabel(labels, 'quantile', familyName);
      return;
    case 'stateset':
      if (value !== 0 && value !== 1) {
        throw new LineError(`a value of 0 or 1 in stateset "${familyName}", found ${value}`);
      }
      if (!Object.hasOwn(labels, familyName)) {
        throw new LineError(`a label "${familyName}" naming the state of stateset "${familyName}"`);
      }
      return;
    case 'info':
      if (facts.format === 'openmetrics' && value !== 1) {
        throw new LineError(`the value 1 in info "${familyName}", found ${value}`);
      }
      return;
    case 'counter':
      checkCounter(facts);
      return;
    case 'gauge':
    case 'untyped':
    case 'unknown':
      return;
  }
}

function checkCounter({ familyName, suffix, value, format }: SampleFacts): void {
  if (format !== 'openmetrics') return;
  // OpenMetrics counters expose `_total` (and `_created`), never the bare name.
  if (suffix === '') {
    throw new LineError(`the sample "${familyName}_total" of counter "${familyName}"`);
  }
  if (suffix === '_total' && !(value >= 0)) {
    throw new LineError(`a counter value of 0 or more in "${familyName}_total", found ${value}`);
  }
}

function requireNumberLabel(labels: Record<string, string>, label: string, family: string): void {
  const raw = labels[label];
  if (raw === undefined) throw new LineError(`a "${label}" label on the samples of "${family}"`);
  if (parseLabelNumber(raw) === null) {
    throw new LineError(`a number in label ${label}="${raw}" of "${family}"`);
  }
}

/**
 * Checks a `# UNIT` line: OpenMetrics requires the family name to end with `_<unit>`.
 * @throws LineError naming what was expected.
 */
export function checkUnit(familyName: string, unit: string): void {
  if (unit !== '' && !familyName.endsWith(`_${unit}`)) {
    throw new LineError(`the family name "${familyName}" to end with the unit "_${unit}"`);
  }
}
