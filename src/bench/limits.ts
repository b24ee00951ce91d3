/**
 * The limits a scenario sets, computed from the platforms' APIs and the simulated world alone,
 * never from Flywheel's code: the fewest requests any client needs, the connections a pool must
 * open, and the scrape's critical-path floor. The bench reports each result's ratio to them.
 */
import type { PlatformName } from '../platforms/types.ts';
import type { BenchTarget, Variant } from './types.ts';

/** What each platform's API makes a client do (as the simulator serves it). */
interface ApiShape {
  /** Ids a batch lookup takes; 1 where the API has none. */
  batch: number;
  /** Whether a full last page still carries a next link (Mastodon: a next link whenever full). */
  isFullPageOpen: boolean;
  /** Whether each post is its own request (Hacker News lists ids, then items one by one). */
  isItemPerPost: boolean;
  /** Requests each listing page takes, one after the other (YouTube: the playlist, then its counts). */
  perPage: number;
  /** Requests per run before the first listing (Reddit: the app-only OAuth token). */
  perRun: number;
}

const API: Record<PlatformName, ApiShape> = {
  bluesky: { batch: 25, isFullPageOpen: false, isItemPerPost: false, perPage: 1, perRun: 0 },
  mastodon: { batch: 20, isFullPageOpen: true, isItemPerPost: false, perPage: 1, perRun: 0 },
  reddit: { batch: 100, isFullPageOpen: false, isItemPerPost: false, perPage: 1, perRun: 1 },
  // playlistItems.list has no counts: each page is followed by one videos.list for them.
  youtube: { batch: 50, isFullPageOpen: false, isItemPerPost: false, perPage: 2, perRun: 0 },
  hackernews: { batch: 1, isFullPageOpen: false, isItemPerPost: true, perPage: 1, perRun: 0 },
};

/** One account of the scenario as the scrape sees it. */
export interface AccountPlan {
  platform: PlatformName;
  posts: number;
  pageSize: number;
  /** A Mastodon account configured by name needs one lookup for its numeric id. */
  isNamed?: boolean;
}

/** The scenario facts the limits depend on. */
export interface LimitInputs {
  accounts: readonly AccountPlan[];
  /** Services with a health URL and a metrics URL. */
  services: number;
  /** Accounts scraped at once (also the refresh's lookups in flight). */
  concurrency: number;
  /** Connections per origin; the simulator is one origin. */
  connections: number;
}

/** Listing pages of one account: a full last page costs one more (empty) page where it stays open. */
export function listingPages(account: AccountPlan): number {
  const shape = API[account.platform];
  if (account.posts === 0) return 1;
  if (shape.isFullPageOpen) return Math.floor(account.posts / account.pageSize) + 1;

  return Math.ceil(account.posts / account.pageSize);
}

/** Requests the listing of one account needs, its platform's once-per-run requests left out. */
export function accountRequests(account: AccountPlan): number {
  const named = account.isNamed === true ? 1 : 0;
  const shape = API[account.platform];
  if (shape.isItemPerPost) return 1 + account.posts + named;

  return listingPages(account) * shape.perPage + named;
}

function platformsOf(accounts: readonly AccountPlan[]): PlatformName[] {
  return [...new Set(accounts.map((account) => account.platform))];
}

/** The fewest requests a scrape of every account needs. */
export function scrapeMinimum(accounts: readonly AccountPlan[]): number {
  const perRun = platformsOf(accounts).reduce((sum, platform) => sum + API[platform].perRun, 0);

  return perRun + accounts.reduce((sum, account) => sum + accountRequests(account), 0);
}

/**
 * The fewest requests that refresh `recent` posts per platform: one batch per `batch` ids, plus a
 * platform's once-per-run requests when the engine runs alone (its adapters start empty).
 */
export function refreshMinimum(
  recent: Partial<Record<PlatformName, number>>,
  isAlone: boolean,
): number {
  let total = 0;
  for (const [platform, posts] of Object.entries(recent) as Array<[PlatformName, number]>) {
    if (posts <= 0) continue;
    total += Math.ceil(posts / API[platform].batch) + (isAlone ? API[platform].perRun : 0);
  }

  return total;
}

/**
 * The fewest requests of a target: one probe per platform with accounts and per service; the
 * scrape's pages; one lookup per batch of recent posts; one scrape per service; none for the
 * bandit. `recent` is needed for the engine and the whole run.
 */
export function minimumRequests(
  target: BenchTarget,
  inputs: LimitInputs,
  recent: Partial<Record<PlatformName, number>> = {},
): number {
  const probes = platformsOf(inputs.accounts).length + inputs.services;
  switch (target) {
    case 'health':
      return probes;
    case 'scrape':
      return scrapeMinimum(inputs.accounts);
    case 'engine':
      return refreshMinimum(recent, true);
    case 'thompson':
      return 0;
    case 'metrics':
      return inputs.services;
    case 'run':
      return (
        probes + scrapeMinimum(inputs.accounts) + refreshMinimum(recent, false) + inputs.services
      );
  }
}

/** Requests in flight at once at most, which is what a cold pool has to open. */
function peakInFlight(
  target: BenchTarget,
  inputs: LimitInputs,
  recent: Partial<Record<PlatformName, number>>,
): number {
  const { accounts, concurrency, connections } = inputs;
  const probes = platformsOf(accounts).length + inputs.services;
  const hasItems = accounts.some((account) => API[account.platform].isItemPerPost);
  // Hacker News fetches a page's items at once, so a worker can have a whole page in flight: at
  // most that many, how many depends on timing (the one expectation that is a bound).
  const itemPage = Math.max(
    0,
    ...accounts.filter((account) => API[account.platform].isItemPerPost).map((a) => a.pageSize),
  );
  const scrape = hasItems ? concurrency * itemPage : Math.min(accounts.length, concurrency);
  // Platforms are refreshed one after another, each with up to `concurrency` batches in flight.
  const refresh = Math.max(
    0,
    ...Object.entries(recent).map(([platform, posts]) =>
      Math.min(Math.ceil(posts / API[platform as PlatformName].batch), concurrency),
    ),
  );
  const peaks: Record<BenchTarget, number> = {
    health: probes,
    scrape,
    engine: refresh,
    thompson: 0,
    metrics: inputs.services,
    run: Math.max(probes, scrape, refresh, inputs.services),
  };

  return Math.min(peaks[target], connections);
}

/**
 * Connections a target must open: on a cold pool the most requests it has in flight at once,
 * capped by the pool (`min(accounts, concurrency)` for a scrape); none on a warm pool that kept
 * them; one per request in the naive profile. With Hacker News accounts the scrape's figure is
 * an upper bound (`concurrency` x its page size, capped by the pool).
 */
export function expectedConnections(
  target: BenchTarget,
  variant: Variant,
  pool: 'cold' | 'warm',
  inputs: LimitInputs,
  requests: number,
  recent: Partial<Record<PlatformName, number>> = {},
): number {
  if (variant === 'naive') return requests;
  if (pool === 'warm') return 0;

  return peakInFlight(target, inputs, recent);
}

/** The scrape's floor and the two bounds it is the larger of. */
export interface ScrapeFloor {
  /** max(critical path, throughput) plus one handshake, ms. */
  floorMs: number;
  /** The accounts' sequential round trips, scheduled on `concurrency` workers in order, ms. */
  criticalPathMs: number;
  /** Requests over connections, each a round trip, ms. */
  throughputMs: number;
}

/**
 * The least wall time a scrape can take when every request costs exactly one round trip and a
 * new connection one handshake more: with A accounts of P pages at concurrency C this is
 * ceil(A / C) x P x round trip (+ the handshake). In general each account's sequential round
 * trips are handed to C workers in config order, as the scrape does; and no pool of N
 * connections finishes R requests in less than R / N round trips.
 */
export function scrapeFloor(
  inputs: LimitInputs,
  latencyMs: number,
  connectLatencyMs: number,
): ScrapeFloor {
  const paths = roundTrips(inputs.accounts, inputs.connections);
  const workers = new Array<number>(Math.min(inputs.concurrency, paths.length)).fill(0);
  for (const path of paths) {
    let earliest = 0;
    for (let index = 1; index < workers.length; index++) {
      if ((workers[index] as number) < (workers[earliest] as number)) earliest = index;
    }
    workers[earliest] = (workers[earliest] as number) + path;
  }
  const criticalPathMs = Math.max(0, ...workers) * latencyMs;
  const requests = scrapeMinimum(inputs.accounts);
  const throughputMs = Math.ceil(requests / inputs.connections) * latencyMs;
  const handshake = requests > 0 ? connectLatencyMs : 0;

  return {
    floorMs: Math.max(criticalPathMs, throughputMs) + handshake,
    criticalPathMs,
    throughputMs,
  };
}

/**
 * Sequential round trips of each account: its pages, a name lookup, the items of a Hacker News
 * page (fetched at once, so ceil(page / connections) round trips), and the token the first
 * Reddit accounts wait for.
 */
function roundTrips(accounts: readonly AccountPlan[], connections: number): number[] {
  let isTokenPending = true;

  return accounts.map((account) => {
    let trips = account.isNamed === true ? 1 : 0;
    if (API[account.platform].isItemPerPost) {
      const pages = listingPages(account);
      trips += 1 + pages * Math.ceil(Math.min(account.pageSize, account.posts) / connections);
    } else {
      trips += listingPages(account) * API[account.platform].perPage;
    }
    if (API[account.platform].perRun > 0 && isTokenPending) {
      trips += 1;
      isTokenPending = false;
    }
    return trips;
  });
}
