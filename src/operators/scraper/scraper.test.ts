/** The scrape's page loop with a scripted adapter: reading ahead, limits and failures. */
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../errors.ts';
import type { AccountSpec, Page, PlatformAdapter } from '../../platforms/types.ts';
import { openSqliteStore } from '../../store/sqlite.ts';
import { createTestContext, makePost } from '../engine/testing.ts';
import { createScraperOperator, type ScrapeOutput } from './scraper.ts';

/** An adapter serving `pages` pages of 2 posts, logging when each fetch starts and ends. */
function scripted(pages: number, events: string[]): PlatformAdapter {
  return {
    name: 'bluesky',
    batchSize: 25,
    fetchPage: async (account: AccountSpec, cursor: string | null): Promise<Page> => {
      const index = cursor === null ? 1 : Number(cursor);
      events.push(`fetch ${index}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      events.push(`got ${index}`);
      return {
        posts: [makePost(account.id, `p${index}a`, 1), makePost(account.id, `p${index}b`, 2)],
        next: index < pages ? String(index + 1) : null,
      };
    },
    lookup: () => Promise.resolve([]),
    healthUrl: () => 'http://example.com/health',
  };
}

async function scrape(
  adapter: PlatformAdapter,
  events: string[],
  options: { maxPages?: number; failOnWrite?: number } = {},
): Promise<ScrapeOutput> {
  const store = openSqliteStore(':memory:');
  const upsert = store.upsertPosts.bind(store);
  let writes = 0;
  store.upsertPosts = (posts) => {
    writes += 1;
    events.push(`write ${writes}`);
    if (writes === options.failOnWrite) throw new StoreError('disk full');
    return upsert(posts);
  };
  const ctx = createTestContext('scrape', {
    store,
    config: {
      accounts: [{ platform: 'bluesky', id: 'ada.bsky.social' }],
      scrape: { concurrency: 1, maxPages: options.maxPages ?? 10 },
    },
  });

  return createScraperOperator({ adapters: { bluesky: adapter } }).execute(ctx);
}

describe('the scrape of one account', () => {
  it('asks for the next page before it writes the one it has', async () => {
    const events: string[] = [];
    const output = await scrape(scripted(3, events), events);

    expect(events).toEqual([
      'fetch 1',
      'got 1',
      'fetch 2',
      'write 1',
      'got 2',
      'fetch 3',
      'write 2',
      'got 3',
      'write 3',
    ]);
    expect(output.accounts[0]).toMatchObject({ status: 'ok', pages: 3, posts: 6, inserted: 6 });
  });

  it('reads no page beyond maxPages', async () => {
    const events: string[] = [];
    const output = await scrape(scripted(5, events), events, { maxPages: 2 });

    expect(events.filter((event) => event.startsWith('fetch'))).toEqual(['fetch 1', 'fetch 2']);
    expect(output.pages).toBe(2);
  });

  it('keeps the pages written when a write fails, and lets the page read ahead end first', async () => {
    const events: string[] = [];
    const output = await scrape(scripted(4, events), events, { failOnWrite: 2 });

    expect(output.accounts[0]).toMatchObject({
      status: 'partial',
      pages: 1,
      posts: 2,
      error: 'page 2 failed: disk full',
    });
    // Page 3 was on its way when page 2's write failed; the account ended after it arrived.
    expect(events.slice(-3)).toEqual(['fetch 3', 'write 2', 'got 3']);
    expect(events).not.toContain('fetch 4');
  });
});
