/**
 * A hand-written parser for the Prometheus text exposition format (0.0.4) and OpenMetrics text.
 *
 * One pass over the string with indexes and `charCodeAt`, no regular expressions, so its cost is
 * linear in the input and a hostile line cannot trigger backtracking. A malformed line becomes a
 * `ParseIssue` and the rest of the scrape is kept, as Prometheus itself keeps partial scrapes
 * visible to `promtool check metrics`.
 */

import {
  codeAt,
  emptyLabels,
  isBlank,
  LineError,
  parseFloatToken,
  parseTimestamp,
  readExemplar,
  readLabels,
  scanMetricName,
  scanUntilBlank,
  skipBlanks,
  unescapeHelp,
} from './prometheus-lexer.ts';
import type { Exemplar } from './prometheus-lexer.ts';

export type { Exemplar };

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

/** One sample line. */
export interface Sample {
  /** The full sample name, suffix included (`foo_bucket`, `foo_sum`). */
  name: string;
  labels: Record<string, string>;
  /** May be NaN, +Infinity or -Infinity, as written. */
  value: number;
  /** As written: milliseconds in 0.0.4, seconds in OpenMetrics; null when absent. */
  timestamp: number | null;
  exemplar: Exemplar | null;
  /** 1-based line number in the scrape. */
  line: number;
}

/** A metric family: its metadata and all its samples (histogram and summary children included). */
export interface MetricFamily {
  name: string;
  type: MetricType;
  help: string | null;
  unit: string | null;
  samples: Sample[];
}

/** A line that could not be read. */
export interface ParseIssue {
  /** 1-based line number. */
  line: number;
  message: string;
}

/** What `parsePrometheusText` returns: every family that could be read, and every bad line. */
export interface ParseResult {
  families: MetricFamily[];
  errors: ParseIssue[];
}

/** Suffixes whose samples belong to a family of the given types. */
const CHILD_SUFFIXES: ReadonlyArray<readonly [string, readonly MetricType[]]> = [
  ['_bucket', ['histogram', 'gaugehistogram']],
  ['_count', ['histogram', 'summary']],
  ['_sum', ['histogram', 'summary']],
  ['_created', ['histogram', 'summary', 'counter']],
  ['_total', ['counter']],
  ['_gcount', ['gaugehistogram']],
  ['_gsum', ['gaugehistogram']],
  ['_info', ['info']],
];

const SNIPPET_LENGTH = 80;

/**
 * Parses a Prometheus 0.0.4 or OpenMetrics text scrape.
 *
 * Never throws for bad input: each malformed line is reported in `errors` with its line number,
 * its text (cut to 80 characters) and what was expected.
 *
 * @example
 * const { families, errors } = parsePrometheusText('# TYPE up gauge\nup 1\n');
 */
export function parsePrometheusText(text: string): ParseResult {
  const state = new ParserState();
  let lineNumber = 0;
  let start = 0;

  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNumber += 1;

    // CRLF scrapes exist in the wild (Windows exporters); the \r is not part of the line.
    const lineEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    state.readLine(text, start, lineEnd, lineNumber);
    start = end + 1;
  }

  return { families: state.finish(), errors: state.errors };
}

class ParserState {
  readonly errors: ParseIssue[] = [];
  readonly #families = new Map<string, MetricFamily>();
  /** Families whose TYPE was already given, to report a second TYPE line. */
  readonly #typed = new Set<string>();
  #eofLine = 0;

  readLine(text: string, start: number, end: number, line: number): void {
    const first = skipBlanks(text, start, end);
    if (first === end) return;

    if (this.#eofLine !== 0) {
      this.#fail(text, start, end, line, `nothing after "# EOF" (line ${this.#eofLine})`);
      return;
    }

    try {
      if (text.charCodeAt(first) === 35 /* # */) this.#readComment(text, first, end, line);
      else this.#readSample(text, first, end, line);
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      this.#fail(text, start, end, line, error.message);
    }
  }

  finish(): MetricFamily[] {
    return [...this.#families.values()];
  }

  #fail(text: string, start: number, end: number, line: number, expected: string): void {
    const raw = text.slice(start, end).trim();
    const snippet = raw.length > SNIPPET_LENGTH ? `${raw.slice(0, SNIPPET_LENGTH)}...` : raw;
    this.errors.push({ line, message: `line ${line}: expected ${expected} in "${snippet}"` });
  }

  #readComment(text: string, start: number, end: number, line: number): void {
    let i = skipBlanks(text, start + 1, end);
    const keywordEnd = scanUntilBlank(text, i, end);
    const keyword = text.slice(i, keywordEnd);

    if (keyword === 'EOF' && skipBlanks(text, keywordEnd, end) === end) {
      this.#eofLine = line;
      return;
    }
    // Other comments are free text in both formats.
    if (keyword !== 'HELP' && keyword !== 'TYPE' && keyword !== 'UNIT') return;

    i = skipBlanks(text, keywordEnd, end);
    const nameEnd = scanMetricName(text, i, end);
    if (nameEnd === i) throw new LineError(`a metric name after "# ${keyword}"`);
    const name = text.slice(i, nameEnd);
    if (nameEnd < end && !isBlank(text.charCodeAt(nameEnd))) {
      throw new LineError(`a space after the metric name "${name}"`);
    }

    // One separating blank; the rest of the line is the value, kept as written.
    const rest = nameEnd < end ? text.slice(nameEnd + 1, end) : '';
    const family = this.#family(name);

    switch (keyword) {
      case 'HELP':
        family.help = unescapeHelp(rest);
        return;
      case 'UNIT':
        family.unit = rest.trim();
        return;
      case 'TYPE':
        this.#setType(family, rest.trim());
        return;
    }
  }

  #setType(family: MetricFamily, word: string): void {
    const type = METRIC_TYPES.find((candidate) => candidate === word);
    if (type === undefined) {
      throw new LineError(`a type (one of ${METRIC_TYPES.join(', ')}), found "${word}"`);
    }
    if (this.#typed.has(family.name)) {
      throw new LineError(`one TYPE line for "${family.name}", found a second`);
    }
    if (family.samples.length > 0) {
      throw new LineError(`the TYPE of "${family.name}" before its samples`);
    }

    this.#typed.add(family.name);
    family.type = type;
  }

  #readSample(text: string, start: number, end: number, line: number): void {
    const nameEnd = scanMetricName(text, start, end);
    if (nameEnd === start) throw new LineError('a metric name or a "#" comment');
    const name = text.slice(start, nameEnd);

    let i = nameEnd;
    let labels: Record<string, string> = emptyLabels();
    const afterName = skipBlanks(text, nameEnd, end);
    if (codeAt(text, afterName, end) === 123 /* { */) {
      const read = readLabels(text, afterName + 1, end);
      labels = read.labels;
      i = read.next;
    }

    const valueStart = skipBlanks(text, i, end);
    if (valueStart === i) throw new LineError(`a space and a value after "${name}"`);
    const valueEnd = scanUntilBlank(text, valueStart, end);
    const value = parseFloatToken(text.slice(valueStart, valueEnd), `the value of "${name}"`);

    i = skipBlanks(text, valueEnd, end);
    let timestamp: number | null = null;
    if (i < end && text.charCodeAt(i) !== 35 /* # */) {
      const timestampEnd = scanUntilBlank(text, i, end);
      timestamp = parseTimestamp(text.slice(i, timestampEnd), name);
      i = skipBlanks(text, timestampEnd, end);
    }

    let exemplar: Exemplar | null = null;
    if (i < end) {
      if (text.charCodeAt(i) !== 35) throw new LineError(`the end of the line after "${name}"`);
      exemplar = readExemplar(text, i + 1, end);
    }

    this.#familyOfSample(name).samples.push({ name, labels, value, timestamp, exemplar, line });
  }

  /** The family a sample belongs to: its own name first, then a parent by suffix and type. */
  #familyOfSample(name: string): MetricFamily {
    const own = this.#families.get(name);
    if (own !== undefined) return own;

    for (const [suffix, types] of CHILD_SUFFIXES) {
      if (!name.endsWith(suffix)) continue;
      const parent = this.#families.get(name.slice(0, -suffix.length));
      if (parent !== undefined && types.includes(parent.type)) return parent;
    }

    return this.#family(name);
  }

  #family(name: string): MetricFamily {
    let family = this.#families.get(name);
    if (family === undefined) {
      family = { name, type: 'untyped', help: null, unit: null, samples: [] };
      this.#families.set(name, family);
    }
    return family;
  }
}
