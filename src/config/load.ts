/**
 * Loads the app config: defaults < config file < environment (`FLYWHEEL_`) < flags.
 * Validation happens once, here; a bad value raises ConfigError naming the field, the value
 * and what was expected.
 */
import { ConfigError } from '../errors.ts';
import { configSchema, type AppConfig } from './schema.ts';
import { describeIssues, readSettingsFile } from './settings-file.ts';

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
  const fromFile = options.file === undefined ? {} : await readSettingsFile(options.file, 'config');
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

  const lines = describeIssues(result.error.issues, { docs: 'docs/configuration.md', envNames });
  throw new ConfigError(`invalid ${source}:\n${lines}`, {
    details: { source, issues: result.error.issues.length },
  });
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
