/**
 * Conditions on a JSON health body, such as Spring Boot Actuator's `status: UP` and
 * `components.db.status: UP`. A path is dot-separated keys with optional `[n]` indexes:
 * `components.db.status`, `checks[0].state`.
 */

/** A JSON scalar a condition compares with. */
export type JsonScalar = string | number | boolean | null;

/** One condition; every field given must hold. */
export interface JsonCondition {
  /** Where the value is, e.g. `components.db.status`. */
  path: string;
  /** The value must equal this. */
  equals?: JsonScalar;
  /** The value must equal one of these. */
  oneOf?: readonly JsonScalar[];
  /** true: the path must be present; false: it must be absent. */
  exists?: boolean;
  /** The value must be a number at least this. */
  atLeast?: number;
  /** The value must be a number at most this. */
  atMost?: number;
}

/** The path syntax, for config validation. */
export const JSON_PATH_PATTERN = /^[^.[\]]+(\[\d+\])*(\.[^.[\]]+(\[\d+\])*)*$/;

const MISSING = Symbol('missing');

/**
 * Checks every condition against a parsed body.
 * @returns null when all hold, else why the first one does not, e.g.
 *   `components.db.status is "DOWN", expected "UP"`.
 */
export function checkJsonConditions(
  body: unknown,
  conditions: readonly JsonCondition[],
): string | null {
  for (const condition of conditions) {
    const problem = checkOne(body, condition);
    if (problem !== null) return problem;
  }

  return null;
}

/** Reads `path` in `value`; `MISSING` when some step is absent. */
function read(value: unknown, path: string): unknown {
  let node: unknown = value;
  for (const step of path.split('.')) {
    const match = /^([^[]+)((?:\[\d+\])*)$/.exec(step);
    if (match === null) return MISSING;
    node = member(node, match[1]!);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) {
      node = Array.isArray(node) ? (node[Number(index[1])] ?? MISSING) : MISSING;
    }
    if (node === MISSING) return MISSING;
  }

  return node;
}

function member(node: unknown, key: string): unknown {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return MISSING;
  return Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : MISSING;
}

function checkOne(body: unknown, condition: JsonCondition): string | null {
  const value = read(body, condition.path);
  const shown = value === MISSING ? 'missing' : JSON.stringify(value).slice(0, 60);
  const is = `${condition.path} is ${shown}`;

  if (condition.exists === false) return value === MISSING ? null : `${is}, expected it absent`;
  if (value === MISSING) {
    const wanted = describeWanted(condition);
    return `${condition.path} is missing${wanted === '' ? '' : `, expected ${wanted}`}`;
  }
  if (condition.equals !== undefined && value !== condition.equals) {
    return `${is}, expected ${JSON.stringify(condition.equals)}`;
  }
  if (condition.oneOf !== undefined && !condition.oneOf.includes(value as JsonScalar)) {
    return `${is}, expected one of ${condition.oneOf.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (
    condition.atLeast !== undefined &&
    !(typeof value === 'number' && value >= condition.atLeast)
  ) {
    return `${is}, expected a number of at least ${condition.atLeast}`;
  }
  if (condition.atMost !== undefined && !(typeof value === 'number' && value <= condition.atMost)) {
    return `${is}, expected a number of at most ${condition.atMost}`;
  }

  return null;
}

function describeWanted(condition: JsonCondition): string {
  if (condition.equals !== undefined) return JSON.stringify(condition.equals);
  if (condition.oneOf !== undefined)
    return `one of ${condition.oneOf.map((v) => JSON.stringify(v)).join(', ')}`;
  if (condition.atLeast !== undefined) return `a number of at least ${condition.atLeast}`;
  if (condition.atMost !== undefined) return `a number of at most ${condition.atMost}`;
  return '';
}
