import { describe, expect, it } from 'vitest';
import {
  accountRequests,
  expectedConnections,
  listingPages,
  minimumRequests,
  refreshMinimum,
  scrapeFloor,
  scrapeMinimum,
  type AccountPlan,
  type LimitInputs,
} from './limits.ts';

const bluesky = (count: number, posts = 60, pageSize = 20): AccountPlan[] =>
  Array.from({ length: count }, () => ({ platform: 'bluesky', posts, pageSize }));

const scenario: LimitInputs = {
  accounts: bluesky(24),
  services: 2,
  concurrency: 8,
  connections: 20,
};

describe('listing pages and requests per account', () => {
  it('counts ceil(posts / page size) pages where a full last page closes the listing', () => {
    expect(listingPages({ platform: 'bluesky', posts: 60, pageSize: 20 })).toBe(3);
    expect(listingPages({ platform: 'bluesky', posts: 61, pageSize: 20 })).toBe(4);
    expect(listingPages({ platform: 'reddit', posts: 5, pageSize: 100 })).toBe(1);
    expect(listingPages({ platform: 'bluesky', posts: 0, pageSize: 20 })).toBe(1);
  });

  it('counts one empty page more for Mastodon, whose full pages always link a next one', () => {
    expect(listingPages({ platform: 'mastodon', posts: 60, pageSize: 20 })).toBe(4);
    expect(listingPages({ platform: 'mastodon', posts: 59, pageSize: 20 })).toBe(3);
  });

  it('adds a name lookup, and counts Hacker News as the user plus one request per item', () => {
    expect(accountRequests({ platform: 'mastodon', posts: 60, pageSize: 20, isNamed: true })).toBe(
      5,
    );
    expect(accountRequests({ platform: 'hackernews', posts: 30, pageSize: 10 })).toBe(31);
  });

  it('counts two requests per YouTube page: the playlist, then the counts of its videos', () => {
    expect(accountRequests({ platform: 'youtube', posts: 60, pageSize: 20 })).toBe(6);
    const youtube = {
      ...scenario,
      accounts: [{ platform: 'youtube' as const, posts: 60, pageSize: 20 }],
    };
    expect(scrapeFloor(youtube, 10, 0).criticalPathMs).toBe(60);
  });
});

describe('minimum requests', () => {
  it('counts every page of every account, plus one Reddit token per run', () => {
    expect(scrapeMinimum(bluesky(24))).toBe(72);
    const reddit: AccountPlan[] = [
      { platform: 'reddit', posts: 60, pageSize: 20 },
      { platform: 'reddit', posts: 60, pageSize: 20 },
    ];
    expect(scrapeMinimum(reddit)).toBe(7);
  });

  it('counts one lookup per batch of recent posts, and the token when the engine runs alone', () => {
    expect(refreshMinimum({ bluesky: 95 }, true)).toBe(4);
    expect(refreshMinimum({ bluesky: 100 }, true)).toBe(4);
    expect(refreshMinimum({ reddit: 10 }, true)).toBe(2);
    expect(refreshMinimum({ reddit: 10 }, false)).toBe(1);
    expect(refreshMinimum({ hackernews: 7, mastodon: 0 }, true)).toBe(7);
  });

  it('gives each target its minimum', () => {
    const recent = { bluesky: 95 };
    expect(minimumRequests('health', scenario)).toBe(3);
    expect(minimumRequests('scrape', scenario)).toBe(72);
    expect(minimumRequests('engine', scenario, recent)).toBe(4);
    expect(minimumRequests('thompson', scenario)).toBe(0);
    expect(minimumRequests('metrics', scenario)).toBe(2);
    expect(minimumRequests('run', scenario, recent)).toBe(3 + 72 + 4 + 2);
  });
});

describe('expected connections', () => {
  it('opens min(accounts, concurrency) for a cold scrape and none on a warm pool', () => {
    expect(expectedConnections('scrape', 'optimized', 'cold', scenario, 72)).toBe(8);
    expect(
      expectedConnections('scrape', 'optimized', 'cold', { ...scenario, accounts: bluesky(5) }, 15),
    ).toBe(5);
    expect(expectedConnections('scrape', 'optimized', 'warm', scenario, 72)).toBe(0);
  });

  it('opens one connection per request in the naive profile', () => {
    expect(expectedConnections('scrape', 'naive', 'cold', scenario, 72)).toBe(72);
    expect(expectedConnections('engine', 'naive', 'warm', scenario, 95)).toBe(95);
  });

  it('opens as many as the most requests in flight, capped by the pool', () => {
    const recent = { bluesky: 95 };
    expect(expectedConnections('health', 'optimized', 'cold', scenario, 3)).toBe(3);
    expect(expectedConnections('engine', 'optimized', 'cold', scenario, 4, recent)).toBe(4);
    expect(expectedConnections('engine', 'optimized', 'cold', scenario, 4, { bluesky: 900 })).toBe(
      8,
    );
    expect(expectedConnections('metrics', 'optimized', 'cold', scenario, 2)).toBe(2);
    expect(expectedConnections('thompson', 'optimized', 'cold', scenario, 0)).toBe(0);
    expect(expectedConnections('run', 'optimized', 'cold', scenario, 81, recent)).toBe(8);
    const small = { ...scenario, connections: 5 };
    expect(expectedConnections('run', 'optimized', 'cold', small, 81, recent)).toBe(5);
    const items = {
      ...scenario,
      accounts: [...bluesky(2), { platform: 'hackernews' as const, posts: 30, pageSize: 5 }],
    };
    expect(expectedConnections('scrape', 'optimized', 'cold', items, 50)).toBe(20);
    expect(
      expectedConnections('scrape', 'optimized', 'cold', { ...items, concurrency: 2 }, 50),
    ).toBe(10);
  });
});

describe('the scrape floor', () => {
  it('is ceil(A / C) x P x round trip plus one handshake for equal accounts', () => {
    expect(scrapeFloor(scenario, 20, 40)).toEqual({
      criticalPathMs: 180,
      throughputMs: 80,
      floorMs: 220,
    });
    const uneven = { ...scenario, accounts: bluesky(25) };
    // 25 accounts on 8 workers: one worker takes a fourth account, 4 x 3 pages.
    expect(scrapeFloor(uneven, 20, 0).criticalPathMs).toBe(240);
  });

  it('hands accounts to the worker free first, in config order', () => {
    const accounts: AccountPlan[] = [
      { platform: 'bluesky', posts: 60, pageSize: 20 },
      { platform: 'bluesky', posts: 20, pageSize: 20 },
      { platform: 'bluesky', posts: 20, pageSize: 20 },
    ];
    const floor = scrapeFloor({ ...scenario, accounts, concurrency: 2 }, 10, 0);
    expect(floor.criticalPathMs).toBe(30);
  });

  it('is bounded by the pool when there are few connections', () => {
    const floor = scrapeFloor({ ...scenario, connections: 2 }, 20, 0);
    expect(floor.throughputMs).toBe(720);
    expect(floor.floorMs).toBe(720);
  });

  it('adds the round trip of the token the first Reddit account waits for', () => {
    const accounts: AccountPlan[] = [
      { platform: 'reddit', posts: 40, pageSize: 20 },
      { platform: 'reddit', posts: 40, pageSize: 20 },
    ];
    expect(scrapeFloor({ ...scenario, accounts }, 10, 0).criticalPathMs).toBe(30);
  });
});
