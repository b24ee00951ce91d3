/**
 * What the config loader and the bench scenario share: reading a YAML (or JSON) file of
 * settings, and turning zod's issues into lines that name the field, the value and what was
 * expected.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.ts';

/**
 * Reads a YAML or JSON file that must hold a mapping of settings (an empty file is an empty
 * mapping). `kind` names the file in errors: "config file x.yaml is not valid YAML at line 2...".
 */
export async function readSettingsFile(
  file: string,
  kind: string,
): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'unreadable';
    throw new ConfigError(`cannot read ${kind} file ${file}: ${reason}`, { cause: error });
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
    throw new ConfigError(`${kind} file ${file} is not valid YAML${where}${reason}`, {
      cause: error,
    });
  }

  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(
      `${kind} file ${file} must hold a mapping of settings, got ${Array.isArray(parsed) ? 'a list' : typeof parsed}`,
    );
  }

  return parsed as Record<string, unknown>;
}

export interface IssueContext {
  /** The document that lists the settings, named when a key is unknown. */
  docs: string;
  /** Setting path to the environment variable that set it, to blame for an unknown key. */
  envNames?: ReadonlyMap<string, string>;
}

/** One line per issue: `  - http.maxAttempts: Too small: expected number to be >=1, got 0`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], context: IssueContext): string {
  return issues.map((issue) => `  - ${describeIssue(issue, context)}`).join('\n');
}

function describeIssue(issue: z.core.$ZodIssue, context: IssueContext): string {
  const field = issue.path.length === 0 ? '(top level)' : formatPath(issue.path);
  const hasInput =
    'input' in issue && issue.input !== undefined && issue.code !== 'unrecognized_keys';
  const got = hasInput ? `, got ${preview(issue.input)}` : '';
  const hint =
    issue.code === 'unrecognized_keys' ? unknownKeyHint(issue.path, issue.keys, context) : '';

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
  context: IssueContext,
): string {
  const prefix = path.map(String).join('.');
  for (const key of keys) {
    const variable = context.envNames?.get(prefix === '' ? key : `${prefix}.${key}`);
    if (variable !== undefined) {
      return ` (it comes from ${variable}: check the spelling, and separate levels with a double underscore, as in FLYWHEEL_HTTP__MAX_ATTEMPTS for http.maxAttempts)`;
    }
  }

  return ` (check the spelling; see ${context.docs})`;
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
