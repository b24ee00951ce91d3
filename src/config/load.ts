/**
 * Loads the app config: defaults < config file < environment (`FLYWHEEL_`) < flags.
 * Validation happens once, here; a bad value raises ConfigError naming the field, the value
 * and what was expected.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { configSchema, type AppConfig } from './schema.ts';

export interface LoadConfigOptions {
  /** Path of a YAML (or JSON) config file. */
  file?: string | undefined;
  /** Environment to read `FLYWHEEL_*` variables from. Default: none. */
  env?: NodeJS.ProcessEnv;
  /** Flag overrides as dotted paths, e.g. `{ 'http.connections': '5' }`; they win over everything. */
  overrides?: Record<string, string>;
}

type Tree = Record<string, unknown>;

/** Reads, merges and validates the config. Raises ConfigError on any problem. */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<AppConfig> {
  const fromFile = options.file === undefined ? {} : await readConfigFile(options.file);
  const merged = structuredClone(fromFile);
  const fromEnv = envOverrides(options.env ?? {});

  for (const [path, value] of Object.entries(fromEnv)) setPath(merged, path, value);
  for (const [path, value] of Object.entries(options.overrides ?? {})) {
    setPath(merged, path, coerce(value));
  }

  const hasOverrides =
    Object.keys(options.overrides ?? {}).length > 0 || Object.keys(fromEnv).length > 0;
  const source = options.file ?? 'config';
  return validateConfig(
    merged,
    hasOverrides ? `${source} (with FLYWHEEL_ variables and flags applied)` : source,
    envVariableNames(options.env ?? {}),
  );
}

/**
 * Validates an already-parsed config object. `source` names it in error messages; `envNames`
 * (config path to variable name) lets a message blame the variable that set an unknown key.
 */
export function validateConfig(
  input: unknown,
  source = 'config',
  envNames: ReadonlyMap<string, string> = new Map(),
): AppConfig {
  const result = configSchema.safeParse(input ?? {}, { reportInput: true });
  if (result.success) return result.data;

  const lines = result.error.issues.map((issue) => `  - ${describeIssue(issue, envNames)}`);
  throw new ConfigError(`invalid ${source}:\n${lines.join('\n')}`, {
    details: { source, issues: result.error.issues.length },
  });
}

async function readConfigFile(file: string): Promise<Tree> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'unreadable';
    throw new ConfigError(`cannot read config file ${file}: ${reason}`, { cause: error });
  }

  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    const where =
      error instanceof YAMLParseError && error.linePos
        ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}`
        : '';
    // The parser's first line says what is wrong ("Missing closing }", "Nested mappings ...").
    const first = error instanceof Error ? (error.message.split('\n')[0] ?? '') : '';
    const reason = first === '' ? '' : `: ${first.replace(/ at line \d+, column \d+:?$/, '')}`;
    throw new ConfigError(`config file ${file} is not valid YAML${where}${reason}`, {
      cause: error,
    });
  }

  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(
      `config file ${file} must hold a mapping of settings, got ${Array.isArray(parsed) ? 'a list' : typeof parsed}`,
    );
  }

  return parsed as Tree;
}

/**
 * `FLYWHEEL_HTTP__MAX_ATTEMPTS=5` sets `http.maxAttempts`: a double underscore separates levels,
 * single underscores join words in camelCase.
 */
export function envOverrides(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!isFlywheelVariable(name, value)) continue;
    out[envPath(name)] = coerce(value as string);
  }

  return out;
}

function isFlywheelVariable(name: string, value: string | undefined): boolean {
  return name.startsWith('FLYWHEEL_') && value !== undefined && value !== '';
}

function envPath(name: string): string {
  return name
    .slice('FLYWHEEL_'.length)
    .split('__')
    .map((part) => part.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()))
    .join('.');
}

/** Config path to the `FLYWHEEL_` variable that set it. */
function envVariableNames(env: NodeJS.ProcessEnv): Map<string, string> {
  const names = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    if (isFlywheelVariable(name, value)) names.set(envPath(name), name);
  }

  return names;
}

/** Numbers and booleans written as text become values; durations like "30s" stay strings. */
function coerce(value: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}

function setPath(tree: Tree, path: string, value: unknown): void {
  const keys = path.split('.');
  let node: Tree = tree;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Tree;
  }
  node[keys[keys.length - 1]!] = value;
}

function describeIssue(issue: z.core.$ZodIssue, envNames: ReadonlyMap<string, string>): string {
  const field = issue.path.length === 0 ? '(top level)' : formatPath(issue.path);
  const hasInput =
    'input' in issue && issue.input !== undefined && issue.code !== 'unrecognized_keys';
  const got = hasInput ? `, got ${preview(issue.input)}` : '';
  const hint =
    issue.code === 'unrecognized_keys' ? unknownKeyHint(issue.path, issue.keys, envNames) : '';

  return `${field}: ${issue.message}${got}${hint}`;
}

/**
 * The likely mistake behind an unknown key: a misspelt setting, or an environment variable
 * written with one underscore where a level needs two (`FLYWHEEL_HTTP_CONNECTIONS` reads as
 * the top-level `httpConnections`, not `http.connections`).
 */
function unknownKeyHint(
  path: readonly PropertyKey[],
  keys: readonly string[],
  envNames: ReadonlyMap<string, string>,
): string {
  const prefix = path.map(String).join('.');
  for (const key of keys) {
    const variable = envNames.get(prefix === '' ? key : `${prefix}.${key}`);
    if (variable !== undefined) {
      return ` (it comes from ${variable}: check the spelling, and separate levels with a double underscore, as in FLYWHEEL_HTTP__MAX_ATTEMPTS for http.maxAttempts)`;
    }
  }

  return ' (check the spelling; see docs/configuration.md)';
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) =>
      typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`,
    )
    .join('');
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
