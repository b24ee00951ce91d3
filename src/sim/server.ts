/**
 * The simulator's HTTP server: one node:http server on 127.0.0.1 serving every platform under
 * its own path prefix (`/bluesky`, `/mastodon`, `/reddit`, `/youtube`, `/hackernews`) and the
 * services under `/services/<name>`, with optional latency (per response, and once more on each
 * new connection's first response) and seeded 503 faults.
 */
import { setMaxListeners } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { PLATFORM_NAMES } from '../platforms/types.ts';
import type { PlatformName } from '../platforms/types.ts';
import { createRandom } from './random.ts';
import { blueskyRoutes } from './routes/bluesky.ts';
import { hackernewsRoutes } from './routes/hackernews.ts';
import { mastodonRoutes } from './routes/mastodon.ts';
import { createRedditRoutes } from './routes/reddit.ts';
import { createServiceRoutes } from './routes/services.ts';
import { youtubeRoutes } from './routes/youtube.ts';
import type {
  PlantedPost,
  SimConfig,
  SimOptions,
  SimReply,
  SimRequest,
  SimStats,
  Simulator,
} from './types.ts';
import { createWorld } from './world.ts';
import type { World } from './world.ts';

const DEFAULT_SERVICES = ['api', 'worker'];
/** Credentials the simulator accepts (it accepts any); named like the config's defaults. */
const SIM_ENV = {
  REDDIT_CLIENT_ID: 'sim-client-id',
  REDDIT_CLIENT_SECRET: 'sim-client-secret',
  YOUTUBE_API_KEY: 'sim-api-key',
};

type Handler = (req: SimRequest) => SimReply | undefined;

function serviceNames(services: SimOptions['services']): string[] {
  if (services === undefined) return DEFAULT_SERVICES;
  if (typeof services !== 'number') return [...services];

  return Array.from(
    { length: services },
    (_, index) => DEFAULT_SERVICES[index] ?? `service${index + 1}`,
  );
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: SimReply): void {
  const isText = typeof reply.body === 'string';
  const payload = Buffer.from(isText ? (reply.body as string) : JSON.stringify(reply.body));
  res.writeHead(reply.status ?? 200, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    ...reply.headers,
    'content-length': String(payload.length),
  });
  res.end(payload);
}

function handlers(
  world: World,
  services: string[],
  seed: number,
  options: SimOptions,
): Record<string, Handler> {
  const reddit = createRedditRoutes(world);
  const mastodon = { hasMultiGet: options.mastodonMultiGet ?? true };

  return {
    bluesky: (req) => blueskyRoutes(req, world),
    mastodon: (req) => mastodonRoutes(req, world, mastodon),
    reddit,
    youtube: (req) => youtubeRoutes(req, world),
    hackernews: (req) => hackernewsRoutes(req, world),
    services: createServiceRoutes(services, seed),
  };
}

/**
 * Starts the simulator.
 * @example
 * const sim = await startSimulator({ seed: 7, postsPerAccount: 30 });
 * const config = configSchema.parse({ ...sim.config() });
 * // ... run Flywheel against it, with sim.env() as the environment ...
 * await sim.close();
 */
export async function startSimulator(options: SimOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? 42;
  const now = options.now ?? Date.now;
  const startMs = options.startTime === undefined ? now() : new Date(options.startTime).getTime();
  const counts = Object.fromEntries(
    PLATFORM_NAMES.map((name) => [name, options.accounts?.[name] ?? 4]),
  ) as Record<PlatformName, number>;
  const world = createWorld({
    seed,
    accounts: counts,
    postsPerAccount: options.postsPerAccount ?? 60,
    startMs,
  });
  const services = serviceNames(options.services);
  const routes = handlers(world, services, seed, options);
  const faultRandom = createRandom(seed, 'faults');
  const faultRate = options.faults?.rate ?? 0;
  const latencyMs = options.latencyMs ?? 0;
  const connectLatencyMs = options.connectLatencyMs ?? 0;
  // Sockets that have not answered yet: their first response pays the simulated handshake.
  const freshSockets = new WeakSet<Socket>();
  const closing = new AbortController();
  // Every delayed response listens on this one signal so close() can end the waits; hundreds
  // wait at once under load, far above Node's leak-warning default of 10.
  setMaxListeners(0, closing.signal);
  const stats: SimStats = { requests: 0, connections: 0, faults: 0, byRoute: {} };
  const count = (route: string) => {
    stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
  };

  const serve = async (
    req: IncomingMessage,
    res: ServerResponse,
    origin: string,
  ): Promise<void> => {
    stats.requests += 1;
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', origin);
    const [, prefix = '', ...rest] = url.pathname.split('/');
    const handler = routes[prefix];
    const waitMs = latencyMs + (freshSockets.delete(req.socket) ? connectLatencyMs : 0);
    if (waitMs > 0) await delay(waitMs, undefined, { signal: closing.signal });

    // The fault draw happens for every request, so the nth request's fate depends only on n.
    if (faultRandom.next() < faultRate) {
      stats.faults += 1;
      count(`${prefix} fault`);
      send(res, { route: 'fault', status: 503, body: { error: 'simulated fault' } });
      return;
    }

    const request: SimRequest = {
      method: req.method ?? 'GET',
      path: `/${rest.join('/')}`,
      query: url.searchParams,
      headers: req.headers,
      body,
      base: `${origin}/${prefix}`,
      nowMs: now(),
    };
    const reply = handler?.(request) ?? {
      route: 'not found',
      status: 404,
      body: { error: 'not found' },
    };
    count(reply.route);
    send(res, reply);
  };

  const server = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
    serve(req, res, origin).catch((error: unknown) => {
      // Closing aborts delayed replies; their sockets are already being torn down.
      if (closing.signal.aborted) {
        res.destroy();
        return;
      }
      send(res, { route: 'error', status: 500, body: { error: String(error) } });
    });
  });
  // Node announces `Keep-Alive: timeout=N` from keepAliveTimeout; headersTimeout must exceed it.
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 5_000;
  server.headersTimeout = server.keepAliveTimeout + 5_000;
  server.maxRequestsPerSocket = options.maxRequestsPerSocket ?? 0;
  server.on('connection', (socket: Socket) => {
    stats.connections += 1;
    if (connectLatencyMs > 0) freshSockets.add(socket);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: options.port ?? 0, backlog: 1024 }, () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    config: () => simConfig(origin, world, services),
    env: () => ({ ...SIM_ENV }),
    truth: () => planted(world),
    stats: () => ({ ...stats, byRoute: { ...stats.byRoute } }),
    close: async () => {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function simConfig(origin: string, world: World, services: string[]): SimConfig {
  return {
    platforms: {
      bluesky: { baseUrl: `${origin}/bluesky` },
      mastodon: { baseUrl: `${origin}/mastodon` },
      reddit: { baseUrl: `${origin}/reddit`, authUrl: `${origin}/reddit` },
      youtube: { baseUrl: `${origin}/youtube` },
      hackernews: { baseUrl: `${origin}/hackernews` },
    },
    accounts: world.accounts.map((account) => ({ platform: account.platform, id: account.key })),
    services: services.map((name) => ({
      name,
      metricsUrl: `${origin}/services/${name}/metrics`,
      healthUrl: `${origin}/services/${name}/healthz`,
    })),
  };
}

function planted(world: World): PlantedPost[] {
  return world.accounts.flatMap((account) =>
    account.posts
      .filter((post) => post.isViral)
      .map((post) => ({ platform: account.platform, postId: post.id, account: account.key })),
  );
}
