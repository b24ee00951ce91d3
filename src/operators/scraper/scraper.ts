/**
 * ViralScraperOperator: fetches each configured account's posts page by page and streams every
 * page into the store as soon as it arrives, asking for the next page while it writes one, so
 * memory holds at most two pages per account at a time.
 *
 * Accounts run concurrently up to a bound; one failing account (or page) never fails the task:
 * pages already stored are kept and the account is reported `partial` or `failed`. Re-runs are
 * incremental: an account whose last scrape completed stops at the first page that holds the
 * newest post it saw then.
 */
import { describeError } from '../../errors.ts';
import { mapBounded } from '../../http/batch.ts';
import type { AccountSpec, Page, PlatformAdapter, PlatformName } from '../../platforms/types.ts';
import type { Operator, TaskContext } from '../../pipeline/types.ts';
import { scraperOptions } from './options.ts';

export type AccountStatus = 'ok' | 'partial' | 'failed' | 'skipped';

export interface AccountScrape {
  platform: PlatformName;
  account: string;
  status: AccountStatus;
  pages: number;
  posts: number;
  inserted: number;
  updated: number;
  /** Why the account is not `ok`. */
  error?: string;
}

export interface ScrapeOutput {
  accounts: AccountScrape[];
  pages: number;
  posts: number;
  inserted: number;
  updated: number;
}

export interface ScraperDeps {
  adapters: Partial<Record<PlatformName, PlatformAdapter>>;
}

/**
 * Creates the scrape task.
 *
 * @example
 * const scrape = createScraperOperator({ adapters: createAdapters(config.platforms, process.env) });
 */
export function createScraperOperator(deps: ScraperDeps): Operator<ScrapeOutput> {
  return {
    name: 'scrape',
    dependsOn: [],
    async execute(ctx) {
      const options = scraperOptions(ctx.config);
      const accounts = ctx.config.accounts;
      let done = 0;

      const results = await mapBounded(
        accounts,
        options.concurrency,
        async (account) => {
          const result = await scrapeAccount(account, deps.adapters[account.platform], ctx, {
            maxPages: account.maxPages ?? options.maxPages,
          });
          done += 1;
          ctx.progress({
            item: `${account.platform}:${account.id}`,
            message: `${result.status}: ${plural(result.pages, 'page')}, ${plural(result.posts, 'post')} (${result.inserted} new)${result.error ? ` - ${result.error}` : ''}`,
            done,
            total: accounts.length,
          });
          return result;
        },
        ctx.signal,
      );

      const scraped = results.map((result, index) =>
        result.ok
          ? result.value
          : failed(accounts[index]!, `not scraped: ${describeError(result.error)}`),
      );
      return summarize(scraped);
    },
  };
}

async function scrapeAccount(
  account: AccountSpec,
  adapter: PlatformAdapter | undefined,
  ctx: TaskContext,
  limits: { maxPages: number },
): Promise<AccountScrape> {
  const result: AccountScrape = {
    platform: account.platform,
    account: account.id,
    status: 'ok',
    pages: 0,
    posts: 0,
    inserted: 0,
    updated: 0,
  };
  if (adapter === undefined) return { ...result, status: 'skipped', error: 'no adapter' };
  if (ctx.downPlatforms.has(account.platform)) {
    const reason = ctx.downReasons?.get(account.platform);
    const why = reason === undefined ? 'is down or not usable' : `is down (health: ${reason})`;
    return { ...result, status: 'skipped', error: `${account.platform} ${why}` };
  }

  const logger = ctx.logger.child({ platform: account.platform, account: account.id });
  const feed = feedKey(account);
  const checkpoint = ctx.store.getCheckpoint(account.platform, feed);
  const knownNewest = checkpoint?.completedAt ? checkpoint.newestPostId : null;
  const adapterCtx = { http: ctx.http, signal: ctx.signal, logger, now: ctx.now };
  let newest: string | null = null;
  let ahead: Promise<Page> | null = adapter.fetchPage(account, null, adapterCtx);

  try {
    while (ahead !== null) {
      const page: Page = await ahead;
      ahead = null;
      newest ??= page.posts[0]?.postId ?? null;
      const reachedKnown = knownNewest !== null && page.posts.some((p) => p.postId === knownNewest);
      const isLast = page.next === null || reachedKnown || result.pages + 1 >= limits.maxPages;
      // The next page is asked for before this one is written, so the write overlaps its round
      // trip instead of lengthening every account's chain of requests: `flywheel bench` measured
      // the scrape at 1.84x its critical-path floor with the write in the chain (docs/bench.md).
      if (!isLast) ahead = readAhead(adapter.fetchPage(account, page.next, adapterCtx));
      const stored = ctx.store.upsertPosts(page.posts);

      result.pages += 1;
      result.posts += page.posts.length;
      result.inserted += stored.inserted;
      result.updated += stored.updated;
      logger.debug({ page: result.pages, posts: page.posts.length }, 'page stored');
    }
  } catch (error) {
    // A page read ahead may still be on its way: let it end before the account does, so its
    // request is counted in this task and nothing runs on after the task.
    await ahead?.catch(() => undefined);
    // Pages already stored stay stored; the account reports what is missing.
    const message = `page ${result.pages + 1} failed: ${describeError(error)}`;
    logger.warn({ error: message }, 'account scrape incomplete');
    return { ...result, status: result.pages > 0 ? 'partial' : 'failed', error: message };
  }

  ctx.store.setCheckpoint({
    platform: account.platform,
    account: feed,
    newestPostId: newest ?? knownNewest,
    completedAt: ctx.now().toISOString(),
  });
  return result;
}

/** A page read ahead: marked handled at once, so a failure waiting to be awaited is not reported unhandled. */
function readAhead(page: Promise<Page>): Promise<Page> {
  page.catch(() => undefined);
  return page;
}

/**
 * The checkpoint key of one configured listing: the account id plus its listing options, so
 * `u/spez` submissions and `u/spez` overview keep separate checkpoints.
 */
export function feedKey(account: AccountSpec): string {
  const options = Object.entries(account.options ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (options.length === 0) return account.id;
  return `${account.id}?${options.map(([key, value]) => `${key}=${value}`).join('&')}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function failed(account: AccountSpec, error: string): AccountScrape {
  return {
    platform: account.platform,
    account: account.id,
    status: 'failed',
    pages: 0,
    posts: 0,
    inserted: 0,
    updated: 0,
    error,
  };
}

function summarize(accounts: AccountScrape[]): ScrapeOutput {
  const sum = (key: 'pages' | 'posts' | 'inserted' | 'updated') =>
    accounts.reduce((total, account) => total + account[key], 0);
  return {
    accounts,
    pages: sum('pages'),
    posts: sum('posts'),
    inserted: sum('inserted'),
    updated: sum('updated'),
  };
}
