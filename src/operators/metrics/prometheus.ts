/**
 * A hand-written parser for the Prometheus text exposition format (0.0.4) and OpenMetrics text.
 *
 * One pass over the string with indexes and `charCodeAt`, no regular expressions, so its cost is
 * linear in the input and a hostile line cannot trigger backtracking. A malformed line becomes a
 * `ParseIssue` and the rest of the scrape is kept, as Prometheus itself keeps partial scrapes
 * visible to `promtool check metrics`.
 *
 * No maintained npm parser met the requirements (checked December 2026, see
 * docs/operators/metrics.md): parse-prometheus-text-format stops at the first bad line and reads
 * exemplars as timestamps, exposition drops bad lines silently, prom2javascript rejects NaN.
 * `npm run bench:metrics` measures this one against parse-prometheus-text-format.
 */
import {
  codeAt,
  isBlank,
  isHash,
  LineError,
  METRIC_NAME,
  readBraces,
  readExemplar,
  readNumber,
  readQuoted,
  readTimestamp,
  scanMetricName,
  scanUntilBlank,
  skipBlanks,
  unescapeHelp,
} from './prometheus-lexer.ts';
import type { Exemplar } from './prometheus-lexer.ts';
import { FamilyIndex, type Resolved } from './prometheus-families.ts';
import { FastReader } from './prometheus-fast.ts';
import {
  checkSample,
  checkUnit,
  METRIC_TYPES,
  type ExpositionFormat,
  type MetricType,
} from './prometheus-rules.ts';

export type { Exemplar, ExpositionFormat, MetricType };
export { METRIC_TYPES };

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
  /** The format read: as declared in the options, else OpenMetrics when `# EOF` was seen. */
  format: ExpositionFormat;
}

/** Options of `parsePrometheusText`. */
export interface ParseOptions {
  /**
   * The format the producer declared (see `formatOfContentType`). `openmetrics` adds its rules:
   * counters expose `_total`, info values are 1, `# EOF` ends the text. Default: `prometheus`,
   * which accepts OpenMetrics lines without those rules.
   */
  format?: ExpositionFormat;
}

const SNIPPET_LENGTH = 80;
const TYPE_NAMES: ReadonlyMap<string, MetricType> = new Map(
  METRIC_TYPES.map((type) => [type, type]),
);

/**
 * Parses a Prometheus 0.0.4 or OpenMetrics text scrape.
 *
 * Never throws for bad input: each malformed line is reported in `errors` with its line number,
 * its text (cut to 80 characters) and what was expected; every other line is kept.
 *
 * @example
 * const { families, errors } = parsePrometheusText('# TYPE up gauge\nup 1\n');
 */
export function parsePrometheusText(text: string, options: ParseOptions = {}): ParseResult {
  const declared = options.format ?? 'prometheus';
  const state = new ParserState(text, declared);
  let lineNumber = 0;
  let start = 0;

  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNumber += 1;

    // CRLF scrapes exist in the wild (Windows exporters); the \r is not part of the line.
    const lineEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    // Most lines are samples starting with a letter: straight to the sample reader.
    const first = text.charCodeAt(start) | 32;
    if (first >= 97 && first <= 122 && state.eofLine === 0)
      state.sampleLine(start, lineEnd, lineNumber);
    else state.readLine(text, start, lineEnd, lineNumber);
    start = end + 1;
  }

  if (declared === 'openmetrics' && state.eofLine === 0) {
    state.errors.push({
      line: lineNumber + 1,
      message: `line ${lineNumber + 1}: expected "# EOF" to end the OpenMetrics exposition`,
    });
  }
  const format = declared === 'openmetrics' || state.eofLine !== 0 ? 'openmetrics' : 'prometheus';
  return { families: state.finish(), errors: state.errors, format };
}

/** The format a `Content-Type` header declares: OpenMetrics or the Prometheus text format. */
export function formatOfContentType(contentType: string | undefined): ExpositionFormat {
  return contentType?.toLowerCase().includes('application/openmetrics-text') === true
    ? 'openmetrics'
    : 'prometheus';
}

class ParserState {
  readonly errors: ParseIssue[] = [];
  eofLine = 0;
  readonly #format: ExpositionFormat;
  /** Families whose TYPE was already given, to report a second one. */
  readonly #typed = new Set<string>();
  #lastCommentFamily: MetricFamily | null = null;
  #commentNameEnd = 0;

  readonly #fast: FastReader;
  readonly #text: string;
  readonly #index: FamilyIndex;

  constructor(text: string, format: ExpositionFormat) {
    this.#format = format;
    this.#fast = new FastReader(text);
    this.#text = text;
    this.#index = new FamilyIndex(format);
  }

  readLine(text: string, start: number, end: number, line: number): void {
    const first = skipBlanks(text, start, end);
    if (first === end) return;

    if (this.eofLine !== 0) {
      this.#fail(text, start, end, line, `nothing after "# EOF" (line ${this.eofLine})`);
      return;
    }

    try {
      if (isHash(text.charCodeAt(first))) this.#readComment(text, first, end, line);
      else this.#readSample(text, first, end, line);
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      this.#fail(text, start, end, line, error.message);
    }
  }

  /** Reads a line known to start with a letter (so a sample) before any `# EOF`. */
  sampleLine(start: number, end: number, line: number): void {
    try {
      this.#readSample(this.#text, start, end, line);
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      this.#fail(this.#text, start, end, line, error.message);
    }
  }

  finish(): MetricFamily[] {
    return this.#index.all();
  }

  #fail(text: string, start: number, end: number, line: number, expected: string): void {
    const raw = text.slice(start, end).trim();
    const snippet = raw.length > SNIPPET_LENGTH ? `${raw.slice(0, SNIPPET_LENGTH)}...` : raw;
    this.errors.push({ line, message: `line ${line}: expected ${expected} in "${snippet}"` });
  }

  #readComment(text: string, start: number, end: number, line: number): void {
    let i = skipBlanks(text, start + 1, end);
    const keyword = keywordAt(text, i, end);
    if (keyword === 'EOF') {
      if (skipBlanks(text, i + 3, end) === end) this.eofLine = line;
      return;
    }
    // Other comments are free text in both formats.
    if (keyword === null) return;

    i = skipBlanks(text, i + keyword.length, end);
    const family = this.#commentFamily(text, i, end, keyword);
    const name = family.name;
    // One separating blank; the rest of the line is the value, kept as written.
    const next = this.#commentNameEnd;
    const rest = next < end ? text.slice(next + 1, end) : '';

    switch (keyword) {
      case 'HELP':
        // HELP text may be empty, but it is never null once a HELP line was read.
        if (family.help !== null) {
          throw new LineError(`one HELP line for "${name}", found a second`);
        }
        family.help = unescapeHelp(rest);
        return;
      case 'UNIT':
        checkUnit(name, rest.trim());
        family.unit = rest.trim();
        return;
      case 'TYPE':
        this.#setType(family, rest.trim());
        return;
    }
  }

  /**
   * The family a HELP, TYPE or UNIT line names; leaves the index after the name in
   * #commentNameEnd. HELP and TYPE of one family come in a row, so the previous comment's family
   * is tried before the map.
   */
  #commentFamily(text: string, start: number, end: number, keyword: string): MetricFamily {
    const { name, next } = readFamilyName(text, start, end, keyword);
    this.#commentNameEnd = next;
    const last = this.#lastCommentFamily;
    if (last !== null && last.name === name) return last;

    this.#lastCommentFamily = this.#index.family(name);
    return this.#lastCommentFamily;
  }

  #setType(family: MetricFamily, word: string): void {
    // A lookup, not METRIC_TYPES.find(callback): under tsx every callback made costs a naming call.
    const type = TYPE_NAMES.get(word);
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
    // Names resolved before this TYPE may now belong to this family.
    this.#index.typeChanged();
  }

  #readSample(text: string, start: number, end: number, line: number): void {
    const fast = this.#fast;
    if (!fast.read(start, end)) {
      this.#readSampleCarefully(text, start, end, line);
      return;
    }

    const { name, labels, value, timestamp } = fast;
    const sample: Sample = { name, labels, value, timestamp, exemplar: null, line };
    const resolved = this.#index.resolve(name);
    // Half the lines of a real scrape are buckets: their one rule (a numeric `le`) is settled
    // when the fast reader saw the label, and so is a summary quantile's.
    const type = resolved.family.type;
    const isSettled =
      (resolved.suffix === '_bucket' && fast.hasLe) ||
      (resolved.suffix === '' && fast.hasQuantile && type === 'summary');
    if (resolved.hasRules && !isSettled) this.#check(resolved, sample);
    resolved.family.samples.push(sample);
  }

  /** Reads any sample line, naming what was expected when it is malformed. */
  #readSampleCarefully(text: string, start: number, end: number, line: number): void {
    let name: string | null = null;
    let i = scanMetricName(text, start, end);
    if (i > start) name = text.slice(start, i);
    else if (text.charCodeAt(start) !== 123 /* { */) {
      throw new LineError('a metric name or a "#" comment');
    }

    let labels: Record<string, string> = {};
    const afterName = skipBlanks(text, i, end);
    if (codeAt(text, afterName, end) === 123 /* { */) {
      const braces = readBraces(text, afterName + 1, end);
      if (braces.name !== null && name !== null) {
        throw new LineError(`one metric name, found "${name}" and "${braces.name}"`);
      }
      name ??= braces.name;
      labels = braces.labels;
      i = braces.next;
    }
    if (name === null) throw new LineError('a metric name before or inside "{"');

    const valueStart = skipBlanks(text, i, end);
    if (valueStart === i) throw new LineError(`a space and a value after "${name}"`);
    const valueEnd = scanUntilBlank(text, valueStart, end);
    const value = readNumber(text, valueStart, valueEnd, `the value of "${name}"`);

    i = skipBlanks(text, valueEnd, end);
    let timestamp: number | null = null;
    if (i < end && !isHash(text.charCodeAt(i))) {
      const timestampEnd = scanUntilBlank(text, i, end);
      timestamp = readTimestamp(text, i, timestampEnd, name);
      i = skipBlanks(text, timestampEnd, end);
    }

    let exemplar: Exemplar | null = null;
    if (i < end) {
      if (!isHash(text.charCodeAt(i))) throw new LineError(`the end of the line after "${name}"`);
      exemplar = readExemplar(text, i + 1, end);
    }

    this.#addSample({ name, labels, value, timestamp, exemplar, line });
  }

  #addSample(sample: Sample): void {
    const resolved = this.#index.resolve(sample.name);
    if (resolved.hasRules) this.#check(resolved, sample);
    resolved.family.samples.push(sample);
  }

  #check(resolved: Resolved, sample: Sample): void {
    checkSample({
      familyName: resolved.family.name,
      type: resolved.family.type,
      suffix: resolved.suffix,
      labels: sample.labels,
      value: sample.value,
      format: this.#format,
    });
  }
}

/**
 * The keyword of a comment line at `i` (followed by a blank or the line end), or null. Char
 * codes rather than `startsWith`, which V8 runs as a slow generic builtin with a position.
 */
function keywordAt(text: string, i: number, end: number): 'HELP' | 'TYPE' | 'UNIT' | 'EOF' | null {
  const c0 = text.charCodeAt(i);
  const c1 = text.charCodeAt(i + 1);
  const c2 = text.charCodeAt(i + 2);
  const c3 = text.charCodeAt(i + 3);
  let keyword: 'HELP' | 'TYPE' | 'UNIT' | 'EOF' | null = null;
  if (c0 === 72 && c1 === 69 && c2 === 76 && c3 === 80) keyword = 'HELP';
  else if (c0 === 84 && c1 === 89 && c2 === 80 && c3 === 69) keyword = 'TYPE';
  else if (c0 === 85 && c1 === 78 && c2 === 73 && c3 === 84) keyword = 'UNIT';
  else if (c0 === 69 && c1 === 79 && c2 === 70) keyword = 'EOF';
  if (keyword === null) return null;

  const after = i + keyword.length;
  return after <= end && (after === end || isBlank(text.charCodeAt(after))) ? keyword : null;
}

/** Reads the family name of a HELP, TYPE or UNIT line, bare or quoted (UTF-8 names). */
function readFamilyName(
  text: string,
  start: number,
  end: number,
  keyword: string,
): { name: string; next: number } {
  if (codeAt(text, start, end) === 34 /* " */) {
    const quoted = readQuoted(text, start + 1, end, `the quoted name after "# ${keyword}"`);
    if (quoted.next < end && !isBlank(text.charCodeAt(quoted.next))) {
      throw new LineError(`a space after the metric name "${quoted.value}"`);
    }
    return { name: quoted.value, next: quoted.next };
  }

  // Usually the name runs to the next space: one native search and one check of the whole name.
  const space = text.indexOf(' ', start);
  const guess = text.slice(start, space === -1 || space > end ? end : space);
  if (METRIC_NAME.test(guess)) return { name: guess, next: start + guess.length };

  const nameEnd = scanMetricName(text, start, end);
  if (nameEnd === start) throw new LineError(`a metric name after "# ${keyword}"`);
  const name = text.slice(start, nameEnd);
  if (nameEnd < end && !isBlank(text.charCodeAt(nameEnd))) {
    throw new LineError(`a space after the metric name "${name}"`);
  }
  return { name, next: nameEnd };
}
