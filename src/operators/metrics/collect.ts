/**
 * Collecting one target: fetch (shared, cached), parse, aggregate. A failure is a result with
 * `ok: false` and the reason, never an exception: one bad service never fails the task.
 */
import { describeError, ParseError } from '../../errors.ts';
import { redactUrl } from '../../http/redact.ts';
import type { Logger } from '../../observe/logger.ts';
import { summarize, type Summary } from '../../stats/index.ts';
import { aggregateFamilies, type FamilyAggregate } from './aggregate.ts';
import type { FetchOptions, SingleFlight, TargetKind } from './fetch.ts';
import { parseJsonPath, readJsonPath } from './json-path.ts';
import { formatOfContentType, parsePrometheusText, type ParseIssue } from './prometheus.ts';

/** One endpoint to collect. */
export interface Target {
  /** The service's name. */
  name: string;
  kind: TargetKind;
  url: string;
  /** JSON targets: metric name -> path. */
  paths?: Record<string, string>;
}

/** One configured JSON metric, read. */
export interface JsonMetric {
  name: string;
  path: string;
  /** Numbers found (a `*` in the path can find several). */
  count: number;
  /** The number when exactly one was found, else null. */
  value: number | null;
  summary: Summary;
  /** Matches that were missing or not numbers, each naming its concrete path. */
  errors: string[];
}

/** What was collected from one endpoint of a service. */
export interface ServiceMetrics {
  name: string;
  /** The endpoint, without user info and with secret query values as `***`. */
  url: string;
  kind: TargetKind;
  /** Whether the endpoint answered 2xx with something readable (at least one family or number). */
  ok: boolean;
  /** Prometheus: families read. JSON: metrics configured. */
  families: number;
  /** Prometheus: samples read. JSON: numbers read. */
  samples: number;
  /** The fetch failure, or malformed lines / unreadable paths (at most 20, then a count). */
  errors: string[];
  /** Wall time of this collection, milliseconds (near 0 when the cache answered). */
  durationMs: number;
  /** Whether the body came from the cache or another caller's request in flight. */
  isCached: boolean;
  /** Prometheus: the families with most samples, aggregated. Empty for JSON. */
  topFamilies: FamilyAggregate[];
  /** JSON: one entry per configured metric. Empty for Prometheus. */
  values: JsonMetric[];
}

/** What collecting needs besides the target. */
export interface CollectContext extends FetchOptions {
  flight: SingleFlight;
  logger: Logger;
  topFamilies: number;
}

const MAX_LISTED_ERRORS = 20;

/** Collects one target; never throws. */
export async function collectTarget(target: Target, ctx: CollectContext): Promise<ServiceMetrics> {
  const started = performance.now();
  const { body, didFetch } = ctx.flight.fetch(target.kind, target.url, ctx);
  // The URL goes into the task's output, the store and the logs: without its secrets.
  const url = redactUrl(target.url);
  const base = { name: target.name, url, kind: target.kind };

  try {
    const fetched = await body;
    const read =
      target.kind === 'prometheus'
        ? readPrometheus(fetched.text, fetched.contentType, ctx.topFamilies)
        : readJson(fetched.text, target);
    return { ...base, ...read, durationMs: elapsed(started), isCached: !didFetch() };
  } catch (error) {
    ctx.logger.warn(
      { service: target.name, url, error: describeError(error) },
      'metrics collection failed',
    );
    return {
      ...base,
      ok: false,
      families: 0,
      samples: 0,
      errors: [describeError(error)],
      durationMs: elapsed(started),
      isCached: false,
      topFamilies: [],
      values: [],
    };
  }
}

type Read = Pick<
  ServiceMetrics,
  'ok' | 'families' | 'samples' | 'errors' | 'topFamilies' | 'values'
>;

function readPrometheus(text: string, contentType: string, topFamilies: number): Read {
  const result = parsePrometheusText(text, { format: formatOfContentType(contentType) });
  const samples = result.families.reduce((sum, family) => sum + family.samples.length, 0);

  return {
    ok: !(result.families.length === 0 && result.errors.length > 0),
    families: result.families.length,
    samples,
    errors: listErrors(result.errors.map((issue: ParseIssue) => issue.message)),
    topFamilies: aggregateFamilies(result, topFamilies),
    values: [],
  };
}

function readJson(text: string, target: Target): Read {
  const url = redactUrl(target.url);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const found = text.trimStart().slice(0, 40);
    throw new ParseError(
      `${url}: expected a JSON document, found "${found}" (${describeError(error)})`,
      { cause: error, details: { url } },
    );
  }

  const values = Object.entries(target.paths ?? {}).map(([name, path]): JsonMetric => {
    // Paths were checked when the config loaded; parsing again here is cheap.
    const read = readJsonPath(document, parseJsonPath(path));
    const summary = summarize(read.values);
    return {
      name,
      path,
      count: read.values.length,
      value: read.values.length === 1 ? (read.values[0] as number) : null,
      summary,
      errors: read.errors.map((message) => `${name} (${path}): ${message}`),
    };
  });
  const samples = values.reduce((sum, metric) => sum + metric.count, 0);
  const errors = values.flatMap((metric) => metric.errors);

  return {
    ok: samples > 0 || values.length === 0,
    families: values.length,
    samples,
    errors: listErrors(errors),
    topFamilies: [],
    values,
  };
}

function listErrors(messages: string[]): string[] {
  const listed = messages.slice(0, MAX_LISTED_ERRORS);
  const more = messages.length - listed.length;
  if (more > 0) listed.push(`and ${more} more`);
  return listed;
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
