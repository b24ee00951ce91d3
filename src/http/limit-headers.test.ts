import { describe, expect, it } from 'vitest';

import { loadCassettes } from '../replay/load.ts';
import type { RecordedHeaders } from '../replay/types.ts';
import { dataPath, hasData, SKIP_NOTE } from '../../test/support/data.ts';
import { readQuota } from './limit-headers.ts';

const now = Date.parse('2026-04-11T22:55:00Z');

/** Recorded headers as the client sees them: lower-case names, repeats joined. */
function lower(headers: RecordedHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, values]) => [name.toLowerCase(), values.join(', ')]),
  );
}

describe('readQuota', () => {
  it('reads Reddit: a float remaining, used + remaining as the limit, reset in seconds', () => {
    const headers = {
      'x-ratelimit-used': '27',
      'x-ratelimit-remaining': '573.0',
      'x-ratelimit-reset': '2',
    };

    expect(readQuota(headers, 'reddit', now)).toEqual({
      limit: 600,
      remaining: 573,
      resetAtMs: now + 2_000,
    });
  });

  it('reads Mastodon: an ISO 8601 reset with microseconds', () => {
    const headers = {
      'x-ratelimit-limit': '300',
      'x-ratelimit-remaining': '299',
      'x-ratelimit-reset': '2026-04-11T23:00:00.915429Z',
    };

    expect(readQuota(headers, 'mastodon', now)).toEqual({
      limit: 300,
      remaining: 299,
      resetAtMs: Date.parse('2026-04-11T23:00:00.915Z'),
    });
  });

  it('reads the IETF fields with a delta reset, and Bluesky-style epoch resets', () => {
    const delta = { 'ratelimit-limit': '100', 'ratelimit-remaining': '4', 'ratelimit-reset': '30' };
    const epoch = { ...delta, 'ratelimit-reset': String(now / 1000 + 90) };
    const epochMs = { ...delta, 'ratelimit-reset': String(now + 45_000) };

    expect(readQuota(delta, 'ietf', now)).toEqual({
      limit: 100,
      remaining: 4,
      resetAtMs: now + 30_000,
    });
    expect(readQuota(epoch, 'ietf', now)?.resetAtMs).toBe(now + 90_000);
    expect(readQuota(epochMs, 'ietf', now)?.resetAtMs).toBe(now + 45_000);
  });

  it('reads a limit with a policy after it', () => {
    const headers = {
      'ratelimit-limit': '3000, 3000;w=300',
      'ratelimit-remaining': '2999',
      'ratelimit-reset': '120',
    };

    expect(readQuota(headers, 'ietf', now)?.limit).toBe(3000);
  });

  it('reads the structured field of later IETF drafts, the tightest policy winning', () => {
    const headers = {
      ratelimit: '"burst";r=40;t=1, "daily";r=7;t=3600',
      'ratelimit-policy': '"burst";q=50;w=1, "daily";q=1000;w=86400',
    };

    expect(readQuota(headers, 'ietf', now)).toEqual({
      limit: 1000,
      remaining: 7,
      resetAtMs: now + 3_600_000,
    });
  });

  it('recognises every dialect in auto', () => {
    expect(
      readQuota(
        { 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': '2026-04-11T23:00:00Z' },
        'auto',
        now,
      )?.resetAtMs,
    ).toBe(Date.parse('2026-04-11T23:00:00Z'));
    expect(
      readQuota({ 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': '12' }, 'auto', now)
        ?.resetAtMs,
    ).toBe(now + 12_000);
    expect(
      readQuota({ 'ratelimit-remaining': '5', 'ratelimit-reset': '12' }, 'auto', now)?.remaining,
    ).toBe(5);
  });

  it('ignores missing, junk and switched-off headers', () => {
    const good = { 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': '12' };

    expect(readQuota({}, 'auto', now)).toBeNull();
    expect(readQuota(good, 'none', now)).toBeNull();
    expect(readQuota({ ...good, 'x-ratelimit-remaining': 'lots' }, 'auto', now)).toBeNull();
    expect(readQuota({ ...good, 'x-ratelimit-remaining': '-1' }, 'auto', now)).toBeNull();
    expect(readQuota({ ...good, 'x-ratelimit-reset': 'soon' }, 'auto', now)).toBeNull();
    expect(readQuota({ ...good, 'x-ratelimit-reset': '' }, 'auto', now)).toBeNull();
    expect(
      readQuota({ ...good, 'x-ratelimit-reset': '2026-13-45T99:00:00Z' }, 'mastodon', now),
    ).toBeNull();
    expect(readQuota({ ratelimit: '"x";q=1' }, 'ietf', now)).toBeNull();
    // Reddit resets are always a wait in seconds, never a date.
    expect(
      readQuota({ ...good, 'x-ratelimit-reset': '2026-04-11T23:00:00Z' }, 'reddit', now),
    ).toBeNull();
  });
});

describe.skipIf(!hasData)(`readQuota on recorded traffic${SKIP_NOTE}`, () => {
  it('reads every recorded Reddit response with limit headers', async () => {
    const cassette = await loadCassettes(dataPath('reddit-praw-cassettes'));
    const readings = cassette.interactions
      .map((interaction) => lower(interaction.response.headers))
      .filter((headers) => headers['x-ratelimit-remaining'] !== undefined)
      .map((headers) => ({ headers, quota: readQuota(headers, 'reddit', now) }));

    expect(readings.length).toBeGreaterThan(10);
    for (const { headers, quota } of readings) {
      const used = Number(headers['x-ratelimit-used']);
      expect(quota?.remaining).toBe(Math.floor(Number(headers['x-ratelimit-remaining'])));
      expect(quota?.limit).toBe(used + quota!.remaining);
      expect(quota?.resetAtMs).toBe(now + Number(headers['x-ratelimit-reset']) * 1000);
    }
  });

  it('reads every recorded Mastodon response with limit headers', async () => {
    const cassette = await loadCassettes(dataPath('mastodon-py-cassettes/cassettes'));
    const readings = cassette.interactions
      .map((interaction) => lower(interaction.response.headers))
      .filter((headers) => headers['x-ratelimit-reset'] !== undefined);

    expect(readings.length).toBeGreaterThan(10);
    for (const headers of readings) {
      const quota = readQuota(headers, 'mastodon', now);
      expect(quota?.limit).toBe(Number(headers['x-ratelimit-limit']));
      expect(quota?.resetAtMs).toBe(Date.parse(headers['x-ratelimit-reset']!));
    }
  });
});
