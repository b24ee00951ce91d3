/**
 * The fast path of the sample-line reader, for the shape nearly every line of a real scrape has:
 * `name{label="value",...} value[ timestamp]`, single spaces, no escapes, no exemplar.
 *
 * It leans on native `indexOf` / `lastIndexOf` searches instead of per-character JavaScript
 * loops, and on the previous line: consecutive samples of a family repeat their name and label
 * names, whose strings are kept rather than made again. (`startsWith` with a position turned out
 * slow in V8, about 150 ns a call on a long string, so comparisons are by char code or `===`.)
 * Anything unusual returns false and the careful reader (`prometheus.ts`) reads the line again;
 * it alone produces error messages, so the fast path never decides that a line is malformed.
 * Why it exists: the parser must take at most 0.25x the time of parse-prometheus-text-format
 * (`npm run bench:metrics`); the careful reader alone took 0.3x to 0.4x.
 * @internal
 */
import { METRIC_NAME, numberAt, scanLabelName } from './prometheus-lexer.ts';

/** Labels past this count go to the careful reader, whose duplicate check does not grow as L^2. */
const MAX_FAST_LABELS = 32;

/** Reads sample lines of one text; after `read` returns true, the fields hold the sample. */
export class FastReader {
  name = '';
  labels: Record<string, string> = {};
  value = 0;
  timestamp: number | null = null;
  /**
   * Whether the line has an `le` / `quantile` label. Their values were checked to be numbers
   * while reading (a line where one is not goes to the careful reader), so the bucket and
   * quantile rules need no second look.
   */
  hasLe = false;
  hasQuantile = false;

  /** The label names of the latest line read, by position. */
  readonly #labelNames: string[] = [];
  /**
   * Indexes of the next backslash and the next `{` at or after the current line (Infinity when
   * none is left). Searched again only once passed, so each costs one pass over the text in all.
   */
  #nextBackslash = -1;
  #nextBrace = -1;
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  /** Reads the sample line text[start, end); false hands it to the careful reader. */
  read(start: number, end: number): boolean {
    const text = this.#text;
    if (this.#hasBackslash(start, end)) return false;

    let i = this.#readName(start, end);
    if (i === -1) return false;

    this.labels = {};
    this.hasLe = false;
    this.hasQuantile = false;
    if (text.charCodeAt(i) === 123 /* { */) {
      i = this.#readLabels(i + 1, end);
      if (i === -1) return false;
    }

    if (text.charCodeAt(i) !== 32 /* space */) return false;
    // The value is the last token, or the one before a timestamp: one backward search finds
    // its end. numberAt refuses any blank, tab or '#' left inside a token, so "1 2 3", tabs and
    // exemplars all go to the careful reader.
    const lastSpace = text.lastIndexOf(' ', end - 1);
    const valueEnd = lastSpace > i ? lastSpace : end;
    const value = numberAt(text, i + 1, valueEnd);
    if (value === undefined) return false;
    this.value = value;

    this.timestamp = null;
    if (valueEnd < end) {
      const timestamp = numberAt(text, valueEnd + 1, end);
      if (timestamp === undefined || !Number.isFinite(timestamp)) return false;
      this.timestamp = timestamp;
    }

    return true;
  }

  #hasBackslash(start: number, end: number): boolean {
    if (this.#nextBackslash !== Number.POSITIVE_INFINITY && this.#nextBackslash < start) {
      const found = this.#text.indexOf('\\', start);
      this.#nextBackslash = found === -1 ? Number.POSITIVE_INFINITY : found;
    }
    return this.#nextBackslash < end;
  }

  /**
   * Sets `name` and returns the index after it, or -1 when the name is not a plain one. The name
   * ends at the line's first `{` or space; native searches find both, and the character check
   * (a regular expression without alternation or nesting, so linear) runs only when the name
   * differs from the previous line's, whose string is then kept.
   */
  #readName(start: number, end: number): number {
    const text = this.#text;
    if (this.#nextBrace < start) {
      const found = text.indexOf('{', start);
      this.#nextBrace = found === -1 ? Number.POSITIVE_INFINITY : found;
    }
    let nameEnd = text.indexOf(' ', start);
    if (nameEnd === -1 || nameEnd >= end) return -1;
    if (this.#nextBrace < nameEnd) nameEnd = this.#nextBrace;
    if (nameEnd === start) return -1;

    const name = text.slice(start, nameEnd);
    if (name !== this.name) {
      if (!METRIC_NAME.test(name)) return -1;
      this.name = name;
    }
    return nameEnd;
  }

  /** Fills `labels` from `a="x",b="y"}` after the `{`; the index after `}`, or -1. */
  #readLabels(start: number, end: number): number {
    const text = this.#text;
    const labels = this.labels;
    let i = start;
    let position = 0;

    while (i < end && text.charCodeAt(i) !== 125 /* } */) {
      if (position === MAX_FAST_LABELS) return -1;
      const labelName = this.#labelName(i, end, position);
      if (labelName === null || this.#isRepeated(labelName, position)) return -1;
      i += labelName.length;
      if (text.charCodeAt(i) !== 61 /* = */ || text.charCodeAt(i + 1) !== 34 /* " */) return -1;

      const close = text.indexOf('"', i + 2);
      if (close === -1 || close >= end) return -1;
      if (labelName === 'le' || labelName === 'quantile') {
        if (numberAt(text, i + 2, close) === undefined) return -1;
        if (labelName === 'le') this.hasLe = true;
        else this.hasQuantile = true;
      }
      labels[labelName] = text.slice(i + 2, close);
      position += 1;

      i = close + 1;
      const separator = text.charCodeAt(i);
      if (separator === 44 /* , */) i += 1;
      else if (separator !== 125) return -1;
    }

    return i < end ? i + 1 : -1;
  }

  /** The label name at `start`, reusing the previous line's string at this position. */
  #labelName(start: number, end: number, position: number): string | null {
    const text = this.#text;
    const recent = this.#labelNames[position];
    if (recent !== undefined && text.charCodeAt(start + recent.length) === 61 /* = */) {
      let k = 0;
      while (k < recent.length && text.charCodeAt(start + k) === recent.charCodeAt(k)) k += 1;
      if (k === recent.length) return recent;
    }

    const nameEnd = scanLabelName(text, start, end);
    if (nameEnd === start) return null;
    const name = text.slice(start, nameEnd);
    // "__proto__" is not stored as an own key by assignment; the careful reader handles it.
    if (name === '__proto__') return null;
    this.#labelNames[position] = name;
    return name;
  }

  /** Whether an earlier label of this line has the same name (an error the careful reader names). */
  #isRepeated(name: string, position: number): boolean {
    for (let k = 0; k < position; k += 1) if (this.#labelNames[k] === name) return true;
    return false;
  }
}
