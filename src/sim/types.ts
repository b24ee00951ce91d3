/** Public types of the simulator. */
import type { AppConfigInput, ServiceConfig } from '../config/schema.ts';
import type { PlatformName } from '../platforms/types.ts';

/** Options of `startSimulator`. */
export interface SimOptions {
  /** Seed of every random stream. Default: 42. */
  seed?: number;
  /** Accounts per platform; a platform left out gets the default. Default: 4 each. */
  accounts?: Partial<Record<PlatformName, number>>;
  /** Posts per account. Default: 60. */
  postsPerAccount?: number;
  /** Delay before every response, milliseconds. Default: 0. */
  latencyMs?: number;
  /**
   * Extra delay before the first response on each new connection, milliseconds: the round trips
   * of a TCP and TLS handshake, which loopback does not have and which a client that reuses its
   * connections pays once per connection. Default: 0.
   */
  connectLatencyMs?: number;
  /** Service names with /metrics and /healthz. Default: `['api', 'worker']`. */
  services?: readonly string[] | number;
  /** Share of requests answered 503, drawn from a seeded stream. Default: `{ rate: 0 }`. */
  faults?: { rate: number };
  /** Port on 127.0.0.1. Default: 0 (any free port). */
  port?: number;
  /** The world's "now": posts spread over the 30 days before it. Default: the current time. */
  startTime?: Date | number;
  /** The clock young posts grow by (ms since epoch). Default: `Date.now`. */
  now?: () => number;
  /** Idle keep-alive time announced and enforced, milliseconds. Default: 5000. */
  keepAliveTimeoutMs?: number;
  /** Requests served per connection before it is closed; 0 is unlimited. Default: 0. */
  maxRequestsPerSocket?: number;
  /**
   * Whether the Mastodon instance has the 4.3 multi-get `/api/v1/statuses?id[]=`; false plays
   * a 4.2 instance that answers it 404. Default: true.
   */
  mastodonMultiGet?: boolean;
}

/** A planted viral post, as adapters will report it. */
export interface PlantedPost {
  platform: PlatformName;
  postId: string;
  /** The configured account id. */
  account: string;
}

/** The config fragment that points Flywheel at the simulator; fits `configSchema`. */
export interface SimConfig {
  platforms: NonNullable<AppConfigInput['platforms']>;
  accounts: { platform: PlatformName; id: string }[];
  services: ServiceConfig[];
}

/** Request counts since start. */
export interface SimStats {
  requests: number;
  /** TCP connections accepted. */
  connections: number;
  /** Requests answered with a simulated fault. */
  faults: number;
  /** Requests per route, e.g. `bluesky getAuthorFeed`, `reddit token`, `services metrics`. */
  byRoute: Record<string, number>;
}

/** A running simulator. */
export interface Simulator {
  /** Origin, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Base URL overrides, accounts and services for Flywheel's config. */
  config(): SimConfig;
  /** Environment variables holding the (accepted-by-anyone) Reddit and YouTube credentials. */
  env(): Record<string, string>;
  /** The planted viral posts. */
  truth(): PlantedPost[];
  stats(): SimStats;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/** A request as the platform handlers see it. @internal */
export interface SimRequest {
  method: string;
  /** The path after the platform prefix, e.g. `/xrpc/app.bsky.feed.getAuthorFeed`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The simulator origin plus the platform prefix, for absolute links. */
  base: string;
  nowMs: number;
}

/** A handler's answer. @internal */
export interface SimReply {
  /** Route name for stats. */
  route: string;
  status?: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are. */
  body: unknown;
}
