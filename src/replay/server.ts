import { createServer, validateHeaderValue } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { REPLAY_MISS_HEADER } from '../http/index.ts';
import { silentLogger } from '../observe/logger.ts';
import type { Logger } from '../observe/logger.ts';
import { createMatcher } from './match.ts';
import type { Matcher } from './match.ts';
import type {
  Cassette,
  RecordedInteraction,
  ReplayOriginStats,
  ReplayServer,
  ReplayStats,
} from './types.ts';

/** Options of `startReplayServer`. */
export interface ReplayServerOptions {
  /** Default: silent. Misses are logged at warn. */
  logger?: Logger;
}

/** Per-hop headers (RFC 9110 7.6.1) describe the recorded connection, not this one. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'proxy-connection',
  'upgrade',
  'te',
  'trailer',
]);

interface OriginServer {
  server: Server;
  matcher: Matcher;
  stats: ReplayOriginStats;
}

/**
 * Serves recorded responses: one server on 127.0.0.1 (random port) per recorded origin. Requests
 * are matched by `createMatcher`'s rule; a request nothing answers gets 404 with a JSON body
 * `{ error: 'no recording', method, path }` and header `x-flywheel-replay: miss`, which the HTTP
 * client turns into `ReplayMissError`.
 *
 * @example
 * const replay = await startReplayServer(await loadCassettes('../shared/data/reddit-praw-cassettes'));
 * const http = createHttpClient({ originMap: replay.originMap });
 */
export async function startReplayServer(
  cassette: Cassette,
  options: ReplayServerOptions = {},
): Promise<ReplayServer> {
  const log = (options.logger ?? silentLogger).child({ component: 'replay' });
  const byOrigin = new Map<string, RecordedInteraction[]>();
  for (const interaction of cassette.interactions) {
    const origin = new URL(interaction.request.uri).origin;
    byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), interaction]);
  }

  const originMap = new Map<string, string>();
  const servers: OriginServer[] = [];
  for (const [origin, interactions] of byOrigin) {
    const stats: ReplayOriginStats = { origin, localOrigin: '', requests: 0, misses: 0 };
    const entry: OriginServer = {
      server: createServer(),
      matcher: createMatcher(interactions),
      stats,
    };
    entry.server.on('request', (req: IncomingMessage, res: ServerResponse) =>
      answer(entry, originMap, log, req, res),
    );
    await listen(entry.server);
    stats.localOrigin = `http://127.0.0.1:${(entry.server.address() as AddressInfo).port}`;
    originMap.set(origin, stats.localOrigin);
    servers.push(entry);
  }
  log.info(
    { origins: [...originMap.keys()], interactions: cassette.interactions.length },
    'replay started',
  );

  return {
    originMap,
    stats: (): ReplayStats => ({
      requests: servers.reduce((sum, { stats }) => sum + stats.requests, 0),
      misses: servers.reduce((sum, { stats }) => sum + stats.misses, 0),
      byOrigin: servers.map(({ stats }) => ({ ...stats })),
    }),
    close: async () => {
      await Promise.all(servers.map(({ server }) => close(server)));
    },
  };
}

function answer(
  entry: OriginServer,
  originMap: ReadonlyMap<string, string>,
  log: Logger,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  // Drain the request body so the keep-alive connection can carry the next request.
  req.resume();
  entry.stats.requests += 1;
  const method = req.method ?? 'GET';
  const target = req.url ?? '/';
  const interaction = entry.matcher.match(method, target);

  if (interaction === undefined) {
    entry.stats.misses += 1;
    log.warn({ origin: entry.stats.origin, method, path: target }, 'no recording answers request');
    const body = Buffer.from(JSON.stringify({ error: 'no recording', method, path: target }));
    res.writeHead(404, {
      'content-type': 'application/json',
      'content-length': body.length,
      [REPLAY_MISS_HEADER]: 'miss',
    });
    res.end(body);
    return;
  }

  const { response } = interaction;
  const headers = replayHeaders(interaction, originMap, log);
  headers['content-length'] = [String(response.body.length)];
  log.trace(
    { origin: entry.stats.origin, method, path: target, status: response.status },
    'replayed',
  );
  res.writeHead(response.status, response.message || undefined, headers);
  res.end(method === 'HEAD' ? undefined : response.body);
}

/** Recorded headers minus per-hop ones, with recorded origins pointed at their local servers. */
function replayHeaders(
  interaction: RecordedInteraction,
  originMap: ReadonlyMap<string, string>,
  log: Logger,
): Record<string, string[]> {
  const { response } = interaction;
  const headers: Record<string, string[]> = {};
  for (const [rawName, values] of Object.entries(response.headers)) {
    const name = rawName.toLowerCase();
    if (HOP_BY_HOP.has(name) || name === 'content-length') continue;
    // A text body was stored decoded, so announcing the original compression would corrupt it.
    if (name === 'content-encoding' && response.isBodyText) continue;

    for (const value of values.map((item) => rewriteOrigins(item, originMap))) {
      try {
        validateHeaderValue(rawName, value);
      } catch {
        // Node refuses to send some recorded values (control characters); dropping one header
        // beats failing the whole replay.
        log.debug({ header: rawName, file: interaction.file }, 'recorded header value dropped');
        continue;
      }
      headers[name] = [...(headers[name] ?? []), value];
    }
  }

  return headers;
}

function rewriteOrigins(value: string, originMap: ReadonlyMap<string, string>): string {
  let rewritten = value;
  for (const [recorded, local] of originMap) {
    // The lookahead keeps `http://localhost:3000` from matching inside `http://localhost:30001`.
    const pattern = new RegExp(`${escapeRegExp(recorded)}(?![\\w.:-])`, 'g');
    rewritten = rewritten.replace(pattern, local);
  }

  return rewritten;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function listen(server: Server): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) =>
    server.close((error) => (error === undefined ? resolve() : reject(error))),
  );
}
