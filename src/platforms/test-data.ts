/**
 * Readers for the recorded traffic in ../shared/data, for adapter tests only.
 * @internal
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The shared data folder beside the checkout (absent in a fresh clone). */
export const DATA = fileURLToPath(new URL('../../../shared/data', import.meta.url));

/** Whether the shared data folder is present. */
export const hasData = existsSync(DATA);

/** Appended to the titles of suites that need the data, so a skipped suite says why. */
export const SKIP_NOTE = hasData ? '' : ' (skipped: ../shared/data absent)';

/** One recorded exchange, reduced to what adapter tests need. */
export interface Recorded {
  method: string;
  uri: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

function flatten(headers: Record<string, unknown>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    flat[name.toLowerCase()] = Array.isArray(value) ? value.map(String).join(', ') : String(value);
  }

  return flat;
}

interface Interaction {
  request: { method: string; uri: string };
  response: {
    status: { code: number };
    headers: Record<string, unknown>;
    body: { string?: string };
  };
}

function toRecorded(interaction: Interaction): Recorded {
  return {
    method: interaction.request.method,
    uri: interaction.request.uri,
    status: interaction.response.status.code,
    headers: flatten(interaction.response.headers),
    body: interaction.response.body.string ?? '',
  };
}

/** Reads a Betamax JSON cassette (PRAW). */
export function readBetamax(relative: string): Recorded[] {
  const cassette = JSON.parse(readFileSync(`${DATA}/${relative}`, 'utf8')) as {
    interactions: Interaction[];
  };

  return cassette.interactions.map(toRecorded);
}

/** Reads a vcrpy YAML cassette (Mastodon.py). */
export function readVcr(relative: string): Recorded[] {
  const cassette = parse(readFileSync(`${DATA}/${relative}`, 'utf8')) as {
    interactions: Interaction[];
  };

  return cassette.interactions.map(toRecorded);
}

/** Reads a bare JSON body. */
export function readJson(relative: string): unknown {
  return JSON.parse(readFileSync(`${DATA}/${relative}`, 'utf8'));
}
