/**
 * The line-level scanners of the Prometheus text parser: indexes and char codes only, so every
 * scan is linear. `LineError` carries "what was expected"; the parser adds the line and its text.
 * @internal
 */

/** An OpenMetrics exemplar attached to a sample after ` # `. */
export interface Exemplar {
  labels: Record<string, string>;
  value: number;
  /** Seconds since the epoch (OpenMetrics), or null when absent. */
  timestamp: number | null;
}

/** @internal A malformed line; the parser turns it into a `ParseIssue`. */
export class LineError extends Error {}

const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const HASH = 35;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const EQUALS = 61;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** What `readBraces` found between `{` and `}`. */
export interface Braces {
  /** A quoted metric name given inside the braces (`{"my.metric", a="b"}`), or null. */
  name: string | null;
  labels: Record<string, string>;
  /** The index after `}`. */
  next: number;
}

/**
 * Reads `name="value",...}` from just after the `{`. A quoted string that is not followed by
 * `=` is the metric name (the UTF-8 form of Prometheus 3 and OpenMetrics 2); label names may be
 * quoted too. A trailing comma is allowed.
 */
export function readBraces(text: string, start: number, end: number): Braces {
  const labels: Record<string, string> = {};
  let name: string | null = null;
  let i = skipBlanks(text, start, end);

  while (i < end && text.charCodeAt(i) !== CLOSE_BRACE) {
    let labelName: string;
    if (text.charCodeAt(i) === QUOTE) {
      const quoted = readQuoted(text, i + 1, end, 'a quoted name');
      i = skipBlanks(text, quoted.next, end);
      if (codeAt(text, i, end) !== EQUALS) {
        if (name !== null || Object.keys(labels).length > 0) {
          throw new LineError(`"=" after the quoted label name "${quoted.value}"`);
        }
        name = quoted.value;
        i = afterSeparator(text, i, end, `the metric name "${quoted.value}"`);
        continue;
      }
      labelName = quoted.value;
    } else {
      const nameEnd = scanLabelName(text, i, end);
      if (nameEnd === i) throw new LineError('a label name or "}"');
      labelName = text.slice(i, nameEnd);
      i = skipBlanks(text, nameEnd, end);
      if (codeAt(text, i, end) !== EQUALS) throw new LineError(`"=" after label "${labelName}"`);
    }

    i = skipBlanks(text, i + 1, end);
    if (codeAt(text, i, end) !== QUOTE) {
      throw new LineError(`a quoted value for label "${labelName}"`);
    }
    const read = readQuoted(text, i + 1, end, `label "${labelName}"`);
    setLabel(labels, labelName, read.value);
    i = afterSeparator(text, skipBlanks(text, read.next, end), end, `label "${labelName}"`);
  }

  if (i >= end) throw new LineError('"}" to close the labels');
  return { name, labels, next: i + 1 };
}

/** Skips a `,` (and blanks) or stays on a `}`; anything else is an error. */
function afterSeparator(text: string, i: number, end: number, after: string): number {
  const code = codeAt(text, i, end);
  if (code === COMMA) return skipBlanks(text, i + 1, end);
  if (code !== CLOSE_BRACE) throw new LineError(`"," or "}" after ${after}`);
  return i;
}

/** Adds a label, refusing a second one of the same name. */
function setLabel(labels: Record<string, string>, name: string, value: string): void {
  // Reading the key first skips the slower own-property check for the usual new label.
  if (labels[name] !== undefined && Object.hasOwn(labels, name)) {
    throw new LineError(`label "${name}" only once`);
  }
  // A plain object is much faster to build than a null-prototype one; "__proto__" is the one
  // name that an assignment would not store as an own key.
  if (name === '__proto__') {
    Object.defineProperty(labels, name, { value, enumerable: true, writable: true });
  } else {
    labels[name] = value;
  }
}

/** Reads a quoted string up to its closing quote, undoing `\\`, `\"` and `\n`. */
export function readQuoted(
  text: string,
  start: number,
  end: number,
  what: string,
): { value: string; next: number } {
  let value = '';
  let chunkStart = start;

  for (let i = start; i < end; i += 1) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) return { value: value + text.slice(chunkStart, i), next: i + 1 };
    if (code !== BACKSLASH) continue;

    value += text.slice(chunkStart, i);
    const escaped = codeAt(text, i + 1, end);
    if (escaped === 110 /* n */) value += '\n';
    else if (escaped === BACKSLASH || escaped === QUOTE) value += text[i + 1];
    else throw new LineError(`an escape \\\\, \\" or \\n in ${what}`);
    i += 1;
    chunkStart = i + 1;
  }

  throw new LineError(`a closing quote for ${what}`);
}

/** Reads an OpenMetrics exemplar `{labels} value [timestamp]` from just after the `#`. */
export function readExemplar(text: string, start: number, end: number): Exemplar {
  let i = skipBlanks(text, start, end);
  if (codeAt(text, i, end) !== OPEN_BRACE) throw new LineError('"{" to open the exemplar labels');

  const read = readBraces(text, i + 1, end);
  const valueStart = skipBlanks(text, read.next, end);
  const valueEnd = scanUntilBlank(text, valueStart, end);
  const value = readNumber(text, valueStart, valueEnd, 'the exemplar value');

  i = skipBlanks(text, valueEnd, end);
  let timestamp: number | null = null;
  if (i < end) {
    const timestampEnd = scanUntilBlank(text, i, end);
    timestamp = readNumber(text, i, timestampEnd, 'the exemplar timestamp');
    if (skipBlanks(text, timestampEnd, end) !== end) {
      throw new LineError('the end of the line after the exemplar');
    }
  }

  return { labels: read.labels, value, timestamp };
}

/** Undoes the HELP escapes: `\\` and `\n` (0.0.4), plus `\"` (OpenMetrics). */
export function unescapeHelp(raw: string): string {
  if (!raw.includes('\\')) return raw;

  let out = '';
  for (let i = 0; i < raw.length; i += 1) {
    const char = raw[i];
    const next = raw[i + 1];
    if (char === '\\' && next === 'n') {
      out += '\n';
      i += 1;
    } else if (char === '\\' && (next === '\\' || next === '"')) {
      out += next;
      i += 1;
    } else {
      // 0.0.4 leaves other backslashes as they are.
      out += char;
    }
  }
  return out;
}

/**
 * Reads a number from text[start, end): a decimal float, or NaN / Inf / +Inf / -Inf in any case.
 * @throws LineError naming `what` and the text found.
 */
export function readNumber(text: string, start: number, end: number, what: string): number {
  if (start === end) throw new LineError(`${what}, found nothing`);

  const value = numberAt(text, start, end);
  if (value === undefined) {
    throw new LineError(`${what} as a number, found "${text.slice(start, end)}"`);
  }
  return value;
}

/**
 * The number written in text[start, end), or undefined when it is not one the formats allow.
 * Plain integers of up to 15 digits (most counters and bucket counts) are computed in place
 * without slicing a string.
 */
export function numberAt(text: string, start: number, end: number): number | undefined {
  if (start >= end) return undefined;
  let i = start;
  let first = codeAt(text, i, end);
  const isNegative = first === MINUS;
  if (isNegative || first === PLUS) {
    i += 1;
    first = codeAt(text, i, end);
  }

  const decimal = shortDecimal(text, i, end);
  if (decimal !== undefined) return isNegative ? -decimal : decimal;

  // Letters start only NaN and Inf.
  if ((first | 32) === 110 /* n */ || (first | 32) === 105 /* i */) {
    const word = text.slice(i, end).toLowerCase();
    if (word === 'nan' && i === start) return Number.NaN;
    if (word === 'inf') return isNegative ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    return undefined;
  }

  // Number() reads a superset of the formats' decimal floats; three checks cut it down: the
  // token must start with a digit or a dot (after the sign) and end with a digit or a dot, which
  // leaves out "Infinity", hex digits and the whitespace Number() would trim, and a leading 0
  // must not start a 0x / 0b / 0o literal. Anything else malformed ("1_0", "1e", "1.2.3") is NaN.
  const last = text.charCodeAt(end - 1);
  if (!isDigitOrDot(first) || !isDigitOrDot(last)) return undefined;
  if (first === 48 && i + 1 < end) {
    const radix = text.charCodeAt(i + 1) | 32;
    if (radix === 120 /* x */ || radix === 98 /* b */ || radix === 111 /* o */) return undefined;
  }

  const value = Number(text.slice(start, end));
  return Number.isNaN(value) ? undefined : value;
}

/** Exact powers of ten: every 10^k up to 10^22 is a double without rounding. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * Clinger's fast path for decimals: `digits[.digits][e[+-]digits]` with at most 15 digits and a
 * decimal exponent within +-22. The digits form an integer m < 2^53 and 10^|e| is exact, so
 * m * 10^e (or m / 10^-e) is one correctly rounded operation: the same double Number() gives,
 * without slicing a string. Anything else returns undefined and takes the general path.
 */
function shortDecimal(text: string, start: number, end: number): number | undefined {
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let i = start;
  let code = text.charCodeAt(i);

  while (i < end && code >= 48 && code <= 57) {
    mantissa = mantissa * 10 + (code - 48);
    digits += 1;
    code = text.charCodeAt(++i);
  }
  if (i < end && code === DOT) {
    code = text.charCodeAt(++i);
    while (i < end && code >= 48 && code <= 57) {
      mantissa = mantissa * 10 + (code - 48);
      digits += 1;
      fraction += 1;
      code = text.charCodeAt(++i);
    }
  }
  if (digits === 0 || digits > 15) return undefined;

  let exponent = 0;
  if (i < end) {
    if ((code | 32) !== 101 /* e */) return undefined;
    code = text.charCodeAt(++i);
    const isNegativeExponent = code === MINUS;
    if (isNegativeExponent || code === PLUS) code = text.charCodeAt(++i);
    const exponentStart = i;
    while (i < end && code >= 48 && code <= 57 && i - exponentStart < 4) {
      exponent = exponent * 10 + (code - 48);
      code = text.charCodeAt(++i);
    }
    if (i !== end || i === exponentStart) return undefined;
    if (isNegativeExponent) exponent = -exponent;
  }

  const scale = exponent - fraction;
  if (scale < -22 || scale > 22) return undefined;
  return scale < 0
    ? mantissa / (POWERS_OF_TEN[-scale] as number)
    : mantissa * (POWERS_OF_TEN[scale] as number);
}

function isDigitOrDot(code: number): boolean {
  return (code >= 48 && code <= 57) || code === DOT;
}

/** Reads a sample timestamp, which must be finite. */
export function readTimestamp(text: string, start: number, end: number, name: string): number {
  const value = readNumber(text, start, end, `the timestamp of "${name}"`);
  if (!Number.isFinite(value)) throw new LineError(`a finite timestamp for "${name}"`);
  return value;
}

/** Parses a number held in a label value (`le`, `quantile`); null when it is not one. */
export function parseLabelNumber(value: string): number | null {
  return numberAt(value, 0, value.length) ?? null;
}

/** The char code at `i`, or -1 past the end of the line (the next line's text is not ours). */
export function codeAt(text: string, i: number, end: number): number {
  return i < end ? text.charCodeAt(i) : -1;
}

/** Space or tab: the only separators the formats allow. */
export function isBlank(code: number): boolean {
  return code === SPACE || code === TAB;
}

/** The index of the first non-blank at or after `start`. */
export function skipBlanks(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && isBlank(text.charCodeAt(i))) i += 1;
  return i;
}

/** The index of the first blank at or after `start`. */
export function scanUntilBlank(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && !isBlank(text.charCodeAt(i))) i += 1;
  return i;
}

/**
 * Name characters by char code: bit 1 may start a metric name, bit 2 may continue one, bit 4 may
 * start a label name, bit 8 may continue one. A table lookup per character beats four range
 * comparisons in the parser's hottest loops.
 */
const NAME_CHARS = (() => {
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code += 1) {
    const isLetter = (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
    const isDigit = code >= 48 && code <= 57;
    let bits = 0;
    if (isLetter || code === 95 || code === 58) bits |= 1 | 2;
    if (isDigit) bits |= 2 | 8;
    if (isLetter || code === 95) bits |= 4 | 8;
    table[code] = bits;
  }
  return table;
})();

function scanName(text: string, start: number, end: number, first: number, rest: number): number {
  if (start >= end) return start;
  const head = text.charCodeAt(start);
  if (head > 127 || ((NAME_CHARS[head] as number) & first) === 0) return start;

  let i = start + 1;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (code > 127 || ((NAME_CHARS[code] as number) & rest) === 0) break;
    i += 1;
  }
  return i;
}

/**
 * A whole metric name, `[a-zA-Z_:][a-zA-Z0-9_:]*`. One character class and one repetition, no
 * alternation or nesting: linear, whatever the input.
 */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** `[a-zA-Z_:][a-zA-Z0-9_:]*` */
export function scanMetricName(text: string, start: number, end: number): number {
  return scanName(text, start, end, 1, 2);
}

/** `[a-zA-Z_][a-zA-Z0-9_]*` */
export function scanLabelName(text: string, start: number, end: number): number {
  return scanName(text, start, end, 4, 8);
}

/** Whether the char code starts a comment line. */
export function isHash(code: number): boolean {
  return code === HASH;
}
