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

/** Reads `name="value",...}` from just after the `{`; returns the labels and the index after `}`. */
export function readLabels(
  text: string,
  start: number,
  end: number,
): { labels: Record<string, string>; next: number } {
  const labels = emptyLabels();
  let i = skipBlanks(text, start, end);

  while (i < end && text.charCodeAt(i) !== 125 /* } */) {
    const nameEnd = scanLabelName(text, i, end);
    if (nameEnd === i) throw new LineError('a label name or "}"');
    const labelName = text.slice(i, nameEnd);

    i = skipBlanks(text, nameEnd, end);
    if (codeAt(text, i, end) !== 61 /* = */) throw new LineError(`"=" after label "${labelName}"`);
    i = skipBlanks(text, i + 1, end);
    if (codeAt(text, i, end) !== 34 /* " */) {
      throw new LineError(`a quoted value for label "${labelName}"`);
    }

    const read = readQuoted(text, i + 1, end, labelName);
    if (Object.hasOwn(labels, labelName)) throw new LineError(`label "${labelName}" only once`);
    labels[labelName] = read.value;

    i = skipBlanks(text, read.next, end);
    const separator = codeAt(text, i, end);
    if (separator === 44 /* , */) i = skipBlanks(text, i + 1, end);
    else if (separator !== 125) throw new LineError(`"," or "}" after label "${labelName}"`);
  }

  if (i >= end) throw new LineError('"}" to close the labels');
  return { labels, next: i + 1 };
}

/** Reads a label value up to its closing quote, undoing `\\`, `\"` and `\n`. */
function readQuoted(
  text: string,
  start: number,
  end: number,
  labelName: string,
): { value: string; next: number } {
  let value = '';
  let chunkStart = start;

  for (let i = start; i < end; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 34 /* " */) return { value: value + text.slice(chunkStart, i), next: i + 1 };
    if (code !== 92 /* \ */) continue;

    value += text.slice(chunkStart, i);
    const escaped = codeAt(text, i + 1, end);
    if (escaped === 110 /* n */) value += '\n';
    else if (escaped === 92 || escaped === 34) value += text[i + 1];
    else throw new LineError(`an escape \\\\, \\" or \\n in label "${labelName}"`);
    i += 1;
    chunkStart = i + 1;
  }

  throw new LineError(`a closing quote for label "${labelName}"`);
}

/** Reads an OpenMetrics exemplar `{labels} value [timestamp]` from just after the `#`. */
export function readExemplar(text: string, start: number, end: number): Exemplar {
  let i = skipBlanks(text, start, end);
  if (codeAt(text, i, end) !== 123) throw new LineError('"{" to open the exemplar labels');

  const read = readLabels(text, i + 1, end);
  const valueStart = skipBlanks(text, read.next, end);
  const valueEnd = scanUntilBlank(text, valueStart, end);
  const value = parseFloatToken(text.slice(valueStart, valueEnd), 'the exemplar value');

  i = skipBlanks(text, valueEnd, end);
  let timestamp: number | null = null;
  if (i < end) {
    const timestampEnd = scanUntilBlank(text, i, end);
    timestamp = parseFloatToken(text.slice(i, timestampEnd), 'the exemplar timestamp');
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

/** Parses a sample value: a decimal float, or NaN / Inf / +Inf / -Inf in any case. */
export function parseFloatToken(token: string, what: string): number {
  if (token === '') throw new LineError(`${what}, found nothing`);

  const lower = token.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (lower === 'inf' || lower === '+inf') return Number.POSITIVE_INFINITY;
  if (lower === '-inf') return Number.NEGATIVE_INFINITY;

  // Number() also takes "0x1f", "Infinity" and "1_0" forms the formats do not allow.
  for (let i = 0; i < token.length; i += 1) {
    const code = token.charCodeAt(i);
    const isDigit = code >= 48 && code <= 57;
    if (!isDigit && code !== 46 && code !== 43 && code !== 45 && code !== 101 && code !== 69) {
      throw new LineError(`${what} as a number, found "${token}"`);
    }
  }

  const value = Number(token);
  if (Number.isNaN(value)) throw new LineError(`${what} as a number, found "${token}"`);
  return value;
}

/** Parses a sample timestamp, which must be finite. */
export function parseTimestamp(token: string, name: string): number {
  const value = parseFloatToken(token, `the timestamp of "${name}"`);
  if (!Number.isFinite(value)) throw new LineError(`a finite timestamp for "${name}"`);
  return value;
}

/** A label record with no prototype. */
export function emptyLabels(): Record<string, string> {
  // A null prototype keeps a label called "__proto__" an ordinary key.
  return Object.create(null) as Record<string, string>;
}

/** The char code at `i`, or -1 past the end of the line (the next line's text is not ours). */
export function codeAt(text: string, i: number, end: number): number {
  return i < end ? text.charCodeAt(i) : -1;
}

/** Space or tab: the only separators the formats allow. */
export function isBlank(code: number): boolean {
  return code === 32 || code === 9;
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

/** `[a-zA-Z_:][a-zA-Z0-9_:]*` */
export function scanMetricName(text: string, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const code = text.charCodeAt(i);
    const isLetter = (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
    const isDigit = code >= 48 && code <= 57;
    if (!(isLetter || code === 95 || code === 58 || (isDigit && i > start))) break;
    i += 1;
  }
  return i;
}

/** `[a-zA-Z_][a-zA-Z0-9_]*` */
export function scanLabelName(text: string, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const code = text.charCodeAt(i);
    const isLetter = (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
    const isDigit = code >= 48 && code <= 57;
    if (!(isLetter || code === 95 || (isDigit && i > start))) break;
    i += 1;
  }
  return i;
}
