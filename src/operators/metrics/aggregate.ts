/**
 * Turns parsed families into figures: a `Summary` of each family's values and, for histograms,
 * p50/p90/p95/p99 from the buckets by Prometheus' `histogram_quantile` rules.
 */
import {
  histogramQuantile,
  summarize,
  type HistogramBucket,
  type Summary,
} from '../../stats/index.ts';
import { parseLabelNumber } from './prometheus-lexer.ts';
import type { MetricFamily, MetricType, ParseResult, Sample } from './prometheus.ts';

/** Quantiles of a histogram family, all its series added up per bucket bound. */
export interface HistogramAggregate {
  /** Series (label sets apart from `le`) whose buckets were added up. */
  series: number;
  /** Observations counted: the +Inf bucket. */
  observations: number;
  /** Sum of the `_sum` samples; null when there are none. */
  sum: number | null;
  /** Null where `histogram_quantile` gives NaN (no +Inf bucket, no observations, ...). */
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  /** Whether some bucket count fell and was raised (Prometheus' forced monotonicity). */
  wasMonotonicityForced: boolean;
}

/** The aggregate of one family. */
export interface FamilyAggregate {
  name: string;
  type: MetricType;
  /** Sample lines in the family, children (`_bucket`, `_sum`, ...) included. */
  samples: number;
  /** Distinct label sets, `le` and `quantile` left out. */
  series: number;
  /**
   * Counters, gauges and untyped: the sample values (`_created` timestamps left out).
   * Histograms and summaries: each series' mean observation, `_sum / _count` (NaN, so left out
   * and counted, for a series with no observations).
   */
  summary: Summary;
  /** Histograms (`histogram`, `gaugehistogram`) only; null otherwise. */
  histogram: HistogramAggregate | null;
}

const QUANTILES = [0.5, 0.9, 0.95, 0.99] as const;

/**
 * Aggregates the `limit` families with most samples (by name on ties).
 * @example
 * aggregateFamilies(parsePrometheusText(text), 10)[0]?.histogram?.p99;
 */
export function aggregateFamilies(result: ParseResult, limit: number): FamilyAggregate[] {
  const ranked = [...result.families].sort(
    (a, b) =>
      b.samples.length - a.samples.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );

  return ranked.slice(0, limit).map(aggregateFamily);
}

/** Aggregates one family. */
export function aggregateFamily(family: MetricFamily): FamilyAggregate {
  const isHistogram = family.type === 'histogram' || family.type === 'gaugehistogram';
  const hasObservations = isHistogram || family.type === 'summary';

  return {
    name: family.name,
    type: family.type,
    samples: family.samples.length,
    series: new Set(family.samples.map(seriesKey)).size,
    summary: summarize(hasObservations ? meanObservations(family) : plainValues(family)),
    histogram: isHistogram ? aggregateHistogram(family) : null,
  };
}

function plainValues(family: MetricFamily): Float64Array {
  const kept = family.samples.filter((sample) => !sample.name.endsWith('_created'));
  return Float64Array.from(kept, (sample) => sample.value);
}

/** Each series' `_sum / _count` (`_gsum / _gcount` for gauge histograms). */
function meanObservations(family: MetricFamily): Float64Array {
  const sums = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const sample of family.samples) {
    const suffix = sample.name.slice(family.name.length);
    if (suffix === '_sum' || suffix === '_gsum') sums.set(seriesKey(sample), sample.value);
    if (suffix === '_count' || suffix === '_gcount') counts.set(seriesKey(sample), sample.value);
  }

  const means: number[] = [];
  for (const [key, sum] of sums) {
    const count = counts.get(key);
    // 0 / 0 is NaN: summarize leaves it out and counts it.
    if (count !== undefined) means.push(sum / count);
  }
  return Float64Array.from(means);
}

function aggregateHistogram(family: MetricFamily): HistogramAggregate {
  const byBound = new Map<number, number>();
  const series = new Set<string>();
  let sum: number | null = null;

  for (const sample of family.samples) {
    const suffix = sample.name.slice(family.name.length);
    if (suffix === '_sum' || suffix === '_gsum') sum = (sum ?? 0) + sample.value;
    if (suffix !== '_bucket') continue;

    // As in PromQL, a bucket whose `le` is missing or not a number is ignored.
    const bound = parseLabelNumber(sample.labels.le ?? '');
    if (bound === null || Number.isNaN(bound)) continue;
    byBound.set(bound, (byBound.get(bound) ?? 0) + sample.value);
    series.add(seriesKey(sample));
  }

  const buckets: HistogramBucket[] = [...byBound].map(([upperBound, count]) => ({
    upperBound,
    count,
  }));
  const results = QUANTILES.map((q) => histogramQuantile(q, buckets));
  const [p50, p90, p95, p99] = results.map((result) =>
    Number.isNaN(result.value) ? null : result.value,
  ) as [number | null, number | null, number | null, number | null];

  return {
    series: series.size,
    observations: byBound.get(Number.POSITIVE_INFINITY) ?? 0,
    sum,
    p50,
    p90,
    p95,
    p99,
    wasMonotonicityForced: results.some((result) => result.wasMonotonicityForced),
  };
}

/** A key for a sample's label set without `le` and `quantile`, independent of label order. */
function seriesKey(sample: Sample): string {
  const names = Object.keys(sample.labels)
    .filter((name) => name !== 'le' && name !== 'quantile')
    .sort();
  // JSON quoting keeps label values with commas or quotes from colliding.
  return JSON.stringify(names.map((name) => [name, sample.labels[name]]));
}
