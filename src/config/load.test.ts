import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConfigError } from '../errors.ts';
import { envOverrides, loadConfig, validateConfig } from './load.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flywheel-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function messageOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(isConfigError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills every default from an empty file', async () => {
    const config = await loadConfig({ file: await file('empty.yaml', '') });
    expect(config.profile).toBe('optimized');
    expect(config.http.connections).toBe(20);
    expect(config.scrape).toEqual({ concurrency: 8, maxPages: 10 });
  });

  it('lets flags win over the environment, which wins over the file', async () => {
    const path = await file(
      'layers.yaml',
      'http: { connections: 4, maxAttempts: 2 }\nprofile: naive\n',
    );
    const config = await loadConfig({
      file: path,
      env: { FLYWHEEL_HTTP__CONNECTIONS: '6', FLYWHEEL_HTTP__TIMEOUT_MS: '2s' },
      overrides: { 'http.connections': '8' },
    });
    expect(config.http.connections).toBe(8);
    expect(config.http.timeoutMs).toBe(2000);
    expect(config.http.maxAttempts).toBe(2);
    expect(config.profile).toBe('naive');
  });

  it('names the field, the value and what was expected', async () => {
    const path = await file(
      'bad.yaml',
      'http: { connections: lots }\naccounts: [{ platform: myspace, id: x }]\nscrape: { concurency: 3 }\n',
    );
    const message = await messageOf(loadConfig({ file: path }));
    expect(message).toContain(`invalid ${path}:`);
    expect(message).toContain(
      'http.connections: Invalid input: expected number, received string, got "lots"',
    );
    expect(message).toContain('accounts[0].platform: Invalid option: expected one of');
    expect(message).toContain('got "myspace"');
    expect(message).toContain('scrape: Unrecognized key: "concurency" (check the spelling');
  });

  it('says where a YAML syntax error is and what it is', async () => {
    const path = await file('syntax.yaml', 'accounts: [ {platform: x\n');
    const message = await messageOf(loadConfig({ file: path }));
    expect(message).toMatch(/is not valid YAML at line 2, column 1: .+/);
  });

  it('refuses a file that is not a mapping, and a missing file', async () => {
    expect(await messageOf(loadConfig({ file: await file('list.yaml', '- a\n- b\n') }))).toContain(
      'must hold a mapping of settings, got a list',
    );
    expect(await messageOf(loadConfig({ file: join(dir, 'nope.yaml') }))).toContain('no such file');
  });

  it('says when flags or the environment took part in a bad value', async () => {
    const message = await messageOf(loadConfig({ overrides: { 'scrape.concurency': '3' } }));
    expect(message).toContain('(with FLYWHEEL_ variables and flags applied)');
  });

  it('names the variable behind an unknown key and the double-underscore rule', async () => {
    const message = await messageOf(
      loadConfig({ env: { FLYWHEEL_HTTP_CONNECTIONS: '5', FLYWHEEL_SCRAPE__CONCURENCY: '2' } }),
    );
    expect(message).toContain('"httpConnections"');
    expect(message).toContain('it comes from FLYWHEEL_HTTP_CONNECTIONS');
    expect(message).toContain('it comes from FLYWHEEL_SCRAPE__CONCURENCY');
  });
});

describe('envOverrides', () => {
  it('maps double underscores to levels and snake case to camel case', () => {
    expect(
      envOverrides({ FLYWHEEL_STORE__PATH: '/x.sqlite', FLYWHEEL_PROFILE: 'naive', HOME: '/root' }),
    ).toEqual({
      'store.path': '/x.sqlite',
      profile: 'naive',
    });
  });
});

describe('validateConfig', () => {
  it('parses durations written as text', () => {
    expect(validateConfig({ http: { timeoutMs: '1.5s', maxWaitMs: '2m' } }).http).toMatchObject({
      timeoutMs: 1500,
      maxWaitMs: 120_000,
    });
  });

  it('keys fixed rates by origin and fills in the breaker', () => {
    const { http } = validateConfig({
      http: {
        rateLimits: { 'https://oauth.reddit.com/api/': { limit: 100, intervalMs: '1m' } },
        breaker: { consecutiveFailures: 10 },
      },
    });

    expect(http.rateLimits).toEqual({
      'https://oauth.reddit.com': { limit: 100, intervalMs: 60_000 },
    });
    expect(http.breaker).toEqual({
      enabled: true,
      consecutiveFailures: 10,
      failureRatio: 0.5,
      samplingWindowMs: 30_000,
      minimumRps: 1,
      halfOpenAfterMs: 10_000,
      successesToClose: 2,
    });
  });

  it('names a rate-limit key that is not an origin', () => {
    expect(() =>
      validateConfig({ http: { rateLimits: { 'oauth.reddit.com': { limit: 1, intervalMs: 5 } } } }),
    ).toThrow('http.rateLimits.oauth.reddit.com: "oauth.reddit.com" is not an http(s) origin');
  });

  it('checks the engine pattern options', () => {
    expect(validateConfig({ engine: { refreshCacheTtlMs: '5m' } }).engine.refreshCacheTtlMs).toBe(
      300_000,
    );
    expect(() =>
      validateConfig({ engine: { patterns: { timeZone: 'Mars/Olympus' } } }, 'flywheel.yaml'),
    ).toThrow(
      'engine.patterns.timeZone: an IANA time zone such as "UTC" or "Europe/Paris", got "Mars/Olympus"',
    );
    expect(() => validateConfig({ engine: { patterns: { lengthBreaks: [300, 100] } } })).toThrow(
      'engine.patterns.lengthBreaks: two increasing bounds such as [80, 280], got [300,100]',
    );
  });
});
