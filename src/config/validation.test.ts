/**
 * The config's bounds and cross-checks: durations, zeros and negatives, per-platform account
 * options and duplicate accounts. Each finding of a fresh-user trial is kept as an exact case.
 */
import { describe, expect, it } from 'vitest';
import { isConfigError } from '../errors.ts';
import { validateConfig } from './load.ts';
import { parseDurationMs } from './schema.ts';

function messageOf(input: unknown): string {
  try {
    validateConfig(input, 'flywheel.yaml');
  } catch (error) {
    expect(isConfigError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

/** Every numeric setting of the defaults, as a dotted path. */
function numericPaths(tree: unknown, prefix = ''): string[] {
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) return [];
  return Object.entries(tree).flatMap(([key, value]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return typeof value === 'number' ? [path] : numericPaths(value, path);
  });
}

function withValue(path: string, value: unknown): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const keys = path.split('.');
  let node = root;
  for (const key of keys.slice(0, -1)) {
    node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;

  return root;
}

/** Settings where 0 has a documented meaning (docs/configuration.md says which). */
const ZERO_MEANS_SOMETHING = [
  'http.backoffBaseMs', // retries at once
  'http.keepAliveThresholdMs', // the server's hint as is
  'http.paceBelowRatio', // only stop at an exhausted quota
  'http.breaker.consecutiveFailures', // rule off
  'http.breaker.failureRatio', // rule off
  'engine.refreshMaxAgeHours', // no refresh
  'engine.matureAgeHours', // equal-age comparison and prediction off
  'engine.refreshCacheTtlMs', // cache off
  'cache.ttlJitter', // no jitter
  'cache.redisBreakMs', // Redis tried on every call
  'serve.port', // any free port
  'metrics.cacheTtlMs', // cache off
  'metrics.topFamilies', // counts only, no family summaries
  'metrics.history.durationThreshold', // any slowdown past the noise floor counts
  'metrics.history.memoryThreshold', // any growth past the noise floor counts
  'metrics.history.minDurationChangeMs', // no noise floor
  'metrics.history.minMemoryChangeBytes', // no noise floor
];

describe('numeric settings', () => {
  const paths = numericPaths(validateConfig({}));

  it('finds the numeric settings to check', () => {
    expect(paths).toContain('http.timeoutMs');
    expect(paths.length).toBeGreaterThan(40);
  });

  it.each(paths)('%s rejects a negative value', (path) => {
    expect(messageOf(withValue(path, -1))).toContain(`${path}: `);
  });

  it.each(paths.filter((path) => !ZERO_MEANS_SOMETHING.includes(path)))('%s rejects 0', (path) => {
    expect(messageOf(withValue(path, 0))).toContain(`${path}: `);
  });

  it.each(ZERO_MEANS_SOMETHING)('%s accepts 0, which has a documented meaning', (path) => {
    expect(() => validateConfig(withValue(path, 0))).not.toThrow();
  });

  it('explains the bound of http.timeoutMs: 0', () => {
    expect(messageOf({ http: { timeoutMs: 0 } })).toContain(
      'http.timeoutMs: expected a duration of at least 1 ms (0 would fail every request), got 0',
    );
  });

  it('keeps probe intervals at 100 ms or more', () => {
    expect(messageOf({ health: { intervalMs: '10ms' } })).toContain(
      'health.intervalMs: expected a duration of at least 100 ms',
    );
  });
});

describe('durations', () => {
  it.each([
    [1500, 1500],
    ['1500', 1500],
    ['250ms', 250],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    [' 30 s ', 30_000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(['5 minutes', '1d', '-5s', 'soon', '', '1e3'])('does not read %j', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });

  it('says which formats are accepted', () => {
    expect(messageOf({ http: { timeoutMs: '5 minutes' } })).toContain(
      'http.timeoutMs: expected a duration: milliseconds (1500) or a number with a unit: ' +
        '"250ms", "1.5s", "2m", "1h", got "5 minutes"',
    );
  });

  it('rejects a fraction of a millisecond and other types with the same message', () => {
    expect(messageOf({ http: { deadlineMs: 1.5 } })).toContain(
      'http.deadlineMs: expected a duration: milliseconds (1500)',
    );
    expect(messageOf({ tasks: { timeoutMs: true } })).toContain(
      'tasks.timeoutMs: expected a duration: milliseconds (1500)',
    );
  });
});

describe('account options', () => {
  const accounts = (...list: unknown[]) => ({ accounts: list });
  const hn = { platform: 'hackernews', id: 'pg' };

  it('names the field, the value and the allowed listings (the trial case)', () => {
    const message = messageOf(
      accounts(
        hn,
        { ...hn, id: 'dang' },
        { ...hn, id: 'tptacek' },
        {
          platform: 'reddit',
          id: 'u/spez',
          options: { listing: 'bogus' },
        },
      ),
    );
    expect(message).toContain(
      'accounts[3].options.listing: expected one of "submitted"|"overview"|"comments" ' +
        '(the listings of a user), got "bogus"',
    );
  });

  it('rejects an unknown option and lists the known ones', () => {
    const message = messageOf(
      accounts({ platform: 'reddit', id: 'u/spez', options: { colour: 'red' } }),
    );
    expect(message).toContain(
      'accounts[0].options.colour: unknown option for a reddit user; expected listing, sort, time, got "red"',
    );
  });

  it('checks a subreddit against the subreddit listings', () => {
    const message = messageOf(
      accounts({ platform: 'reddit', id: 'r/rust', options: { listing: 'overview', sort: 'top' } }),
    );
    expect(message).toContain(
      'accounts[0].options.listing: expected one of "new"|"hot"|"top"|"rising"',
    );
    expect(message).toContain('accounts[0].options.sort: unknown option for a subreddit');
  });

  it('rejects a time window without an order that uses it', () => {
    expect(
      messageOf(accounts({ platform: 'reddit', id: 'u/spez', options: { time: 'all' } })),
    ).toContain(
      'accounts[0].options.time: time applies only with sort: top or sort: controversial',
    );
  });

  it('rejects options on platforms that take none, and bad Bluesky filters', () => {
    const message = messageOf(
      accounts(
        { platform: 'mastodon', id: '1', options: { exclude_replies: true } },
        { platform: 'bluesky', id: 'bsky.app', options: { filter: 'posts' } },
      ),
    );
    expect(message).toContain(
      'accounts[0].options.exclude_replies: unknown option: mastodon accounts take no options',
    );
    expect(message).toContain('accounts[1].options.filter: expected one of "posts_with_replies"|');
  });

  it('rejects a YouTube id that names no channel or playlist, unless a playlist is set', () => {
    expect(messageOf(accounts({ platform: 'youtube', id: 'GoogleDevelopers' }))).toContain(
      'accounts[0].id: expected a channel id starting with "UC"',
    );
    expect(() =>
      validateConfig(
        accounts({
          platform: 'youtube',
          id: 'GoogleDevelopers',
          options: { playlist: 'PLOU2XLYxmsIKpaV8h0AGE05so0fAwwfTw' },
        }),
      ),
    ).not.toThrow();
  });

  it('accepts every option the adapters read', () => {
    const config = validateConfig(
      accounts(
        {
          platform: 'reddit',
          id: 'u/spez',
          options: { listing: 'overview', sort: 'top', time: 'all' },
        },
        { platform: 'reddit', id: 'r/rust', options: { listing: 'top', time: 'week' } },
        { platform: 'bluesky', id: 'bsky.app', options: { filter: 'posts_no_replies' } },
        { platform: 'youtube', id: 'UCneO8lW7-QG7OsWAm7aTNpB' },
      ),
    );
    expect(config.accounts).toHaveLength(4);
  });
});

describe('duplicate accounts', () => {
  it('names both indexes', () => {
    const message = messageOf({
      accounts: [
        { platform: 'reddit', id: 'u/spez' },
        { platform: 'hackernews', id: 'pg' },
        { platform: 'reddit', id: 'u/spez' },
      ],
    });
    expect(message).toContain('accounts[2]: the same listing as accounts[0] (reddit u/spez)');
  });

  it('treats spellings of one listing as the same, defaults included', () => {
    const message = messageOf({
      accounts: [
        { platform: 'reddit', id: 'u/Spez' },
        { platform: 'reddit', id: 'spez', options: { listing: 'submitted' } },
        { platform: 'youtube', id: 'UCneO8lW7-QG7OsWAm7aTNpB' },
        { platform: 'youtube', id: 'UUneO8lW7-QG7OsWAm7aTNpB' },
      ],
    });
    expect(message).toContain('accounts[1]: the same listing as accounts[0]');
    expect(message).toContain('accounts[3]: the same listing as accounts[2]');
  });

  it('accepts one id with different options (u/spez overview and submitted)', () => {
    const config = validateConfig({
      accounts: [
        { platform: 'reddit', id: 'u/spez', options: { listing: 'overview' } },
        { platform: 'reddit', id: 'u/spez', options: { listing: 'submitted' } },
        { platform: 'reddit', id: 'u/spez', options: { sort: 'top', time: 'all' } },
      ],
    });
    expect(config.accounts).toHaveLength(3);
  });
});
