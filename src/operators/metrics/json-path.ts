/**
 * Paths to numbers inside a JSON document, for services that publish metrics as JSON (Spring
 * Boot Actuator, Elasticsearch stats, custom /stats endpoints).
 *
 * Syntax, a small subset of JSONPath: keys joined by dots, array indexes in brackets, `*` for
 * every item or value, and `["any key"]` for keys with dots or spaces. A leading `$` is allowed.
 *
 *     components.diskSpace.details.free
 *     $.queues[*].depth
 *     jvm["memory.used"][0]
 */
import { numberAt } from './prometheus-lexer.ts';

/** One step of a parsed path. */
export type JsonPathStep =
  { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };

/** What a path found: the numbers (one per match) and a message for each match that failed. */
export interface JsonPathResult {
  values: number[];
  errors: string[];
}

/** A path that does not parse; `message` says where and what was expected. */
export class JsonPathSyntaxError extends Error {}

/**
 * Parses a path.
 * @throws JsonPathSyntaxError naming the position and what was expected.
 * @example
 * parseJsonPath('queues[*].depth'); // key queues, wildcard, key depth
 */
export function parseJsonPath(path: string): JsonPathStep[] {
  const steps: JsonPathStep[] = [];
  let i = path.startsWith('$') ? 1 : 0;
  let needsDot = false;
  const fail = (expected: string): never => {
    throw new JsonPathSyntaxError(
      `JSON path "${path}": expected ${expected} at character ${i + 1}`,
    );
  };

  while (i < path.length) {
    const char = path[i];
    if (char === '[') {
      i = readBracket(path, i, steps, fail);
    } else {
      if (needsDot) {
        if (char !== '.') fail('"." or "[" between steps');
        i += 1;
      } else if (char === '.' && i > 0) {
        i += 1;
      }
      let end = i;
      while (end < path.length && !'.[]'.includes(path[end] as string)) end += 1;
      const key = path.slice(i, end).trim();
      if (key === '') fail('a key');
      steps.push(key === '*' ? { kind: 'wildcard' } : { kind: 'key', key });
      i = end;
    }
    needsDot = true;
  }

  if (steps.length === 0) fail('at least one key or index');
  return steps;
}

function readBracket(
  path: string,
  start: number,
  steps: JsonPathStep[],
  fail: (expected: string) => never,
): number {
  const close = path.indexOf(']', start);
  if (close === -1) fail('"]"');
  const inner = path.slice(start + 1, close).trim();

  if (inner === '*') steps.push({ kind: 'wildcard' });
  else if (/^\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
  else if (inner.startsWith('"') && inner.endsWith('"') && inner.length >= 2) {
    try {
      steps.push({ kind: 'key', key: JSON.parse(inner) as string });
    } catch {
      // The quoted key is not a valid JSON string: say so at this bracket.
      fail('a JSON string key such as ["a.b"]');
    }
  } else {
    fail('an index, "*" or a quoted key inside "[]"');
  }
  return close + 1;
}

/**
 * Follows `steps` through `document` and converts every match to a number: JSON numbers as
 * they are, numeric strings ("12.5", "NaN") parsed, booleans as 1 and 0. A missing step or a
 * value of another kind is an error naming the concrete path; other matches are kept.
 */
export function readJsonPath(document: unknown, steps: readonly JsonPathStep[]): JsonPathResult {
  const result: JsonPathResult = { values: [], errors: [] };
  walk(document, steps, 0, '$', result);
  return result;
}

function walk(
  node: unknown,
  steps: readonly JsonPathStep[],
  depth: number,
  at: string,
  result: JsonPathResult,
): void {
  const step = steps[depth];
  if (step === undefined) {
    const value = toNumber(node);
    if (typeof value === 'number') result.values.push(value);
    else result.errors.push(`${at}: expected a number, found ${value.found}`);
    return;
  }

  switch (step.kind) {
    case 'wildcard': {
      const children = wildcardChildren(node, at);
      if (children === null) {
        result.errors.push(`${at}: expected an array or object for "*", found ${describe(node)}`);
        return;
      }
      for (const [name, child] of children) walk(child, steps, depth + 1, name, result);
      return;
    }
    case 'index':
      if (!Array.isArray(node) || step.index >= node.length) {
        result.errors.push(
          `${at}: expected an array with an item [${step.index}], found ${describe(node)}`,
        );
        return;
      }
      walk(node[step.index], steps, depth + 1, `${at}[${step.index}]`, result);
      return;
    case 'key':
      if (!isRecord(node) || !Object.hasOwn(node, step.key)) {
        result.errors.push(`${at}: expected a key "${step.key}", found ${describe(node)}`);
        return;
      }
      walk(node[step.key], steps, depth + 1, `${at}.${step.key}`, result);
      return;
  }
}

function wildcardChildren(node: unknown, at: string): Array<[string, unknown]> | null {
  if (Array.isArray(node)) return node.map((item, index) => [`${at}[${index}]`, item]);
  if (isRecord(node)) return Object.entries(node).map(([key, value]) => [`${at}.${key}`, value]);
  return null;
}

function toNumber(value: unknown): number | { found: string } {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    const parsed = trimmed === '' ? undefined : numberAt(trimmed, 0, trimmed.length);
    if (parsed !== undefined) return parsed;
  }
  return { found: describe(value) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short, safe description of what was found: its kind, and for scalars the value cut short. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (isRecord(value)) {
    const keys = Object.keys(value);
    const listed = keys
      .slice(0, 5)
      .map((key) => `"${key}"`)
      .join(', ');
    return keys.length === 0
      ? 'an empty object'
      : `an object with ${listed}${keys.length > 5 ? ', ...' : ''}`;
  }
  if (typeof value === 'string') {
    return `the string "${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
  }
  // What is left in parsed JSON: numbers and booleans (undefined for a missing array item).
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : 'nothing';
}
