/**
 * One undici pool per origin, and the knowledge of which failures happened on a reused socket.
 *
 * A server may close an idle keep-alive socket at the moment the client writes a new request on
 * it; the request then fails before any response byte (undici: `SocketError: other side closed`
 * or a bare `ECONNRESET`). Such a failure says nothing about the server, so an idempotent request
 * is replayed once on a fresh connection. Whether the socket had been used before is read from
 * its `bytesRead`: undici attaches that to its SocketError, and for raw socket errors a listener
 * put in front of undici's own (through the connector) marks the error.
 */
import type { Socket } from 'node:net';

import { Client, Pool, buildConnector, type Dispatcher } from 'undici';

import type { HttpProfile } from './types.ts';

/** @internal */
export interface PoolSettings {
  connections: number;
  keepAliveTimeoutMs: number;
  keepAliveMaxTimeoutMs: number;
  keepAliveThresholdMs: number;
  maxResponseBytes: number;
  profile: HttpProfile;
}

/** @internal A dispatcher for one attempt, and what to do when the attempt is over. */
export interface Lease {
  dispatcher: Dispatcher;
  /** Destroys the per-request client of the naive profile; a no-op for pools. */
  done(): Promise<void>;
}

/** @internal Pools keyed by the requested origin, so a rewritten origin counts under its own name. */
export class PoolManager {
  readonly #settings: PoolSettings;
  readonly #onConnect: (origin: string) => void;
  readonly #pools = new Map<string, Pool>();
  /** Sockets open per origin, to know when a pool cannot open another one. */
  readonly #open = new Map<string, number>();
  readonly #reusedSocketErrors = new WeakSet<object>();
  readonly #connect: buildConnector.connector;

  constructor(settings: PoolSettings, onConnect: (origin: string) => void) {
    this.#settings = settings;
    this.#onConnect = onConnect;
    const base = buildConnector({});
    this.#connect = (options, callback) =>
      base(options, (error, socket) => {
        // The overloads of undici's callback type split on `error`; forward each case as is.
        if (error !== null && error !== undefined) {
          callback(error, null);
          return;
        }
        this.#watch(socket);
        callback(null, socket);
      });
  }

  lease(origin: string, wireOrigin: string): Lease {
    if (this.#settings.profile === 'naive') {
      // The naive profile pays for a fresh connection on every request, on purpose.
      const client = this.#client(origin, wireOrigin);
      return { dispatcher: client, done: () => client.destroy() };
    }

    return { dispatcher: this.#pool(origin, wireOrigin), done: noop };
  }

  /**
   * A dispatcher with a connection of its own for one request, closed when it ends: a replay after
   * a reused socket failed must not land on another idle socket the server may be closing too.
   */
  fresh(origin: string, wireOrigin: string): Dispatcher {
    const client = this.#client(origin, wireOrigin);
    // `close` waits for the request queued right after this returns, then ends the socket; a
    // failure to close is the request's failure too, and that one reaches its caller.
    queueMicrotask(() => void client.close().catch(() => undefined));

    return client;
  }

  #client(origin: string, wireOrigin: string): Client {
    const client = new Client(wireOrigin, {
      keepAliveTimeout: 1,
      pipelining: 1,
      connect: this.#connect,
    });
    client.on('connect', () => this.#onConnect(origin));

    return client;
  }

  /** Whether the origin's pool has all the connections it may open. */
  isFull(origin: string): boolean {
    return (this.#open.get(origin) ?? 0) >= this.#settings.connections;
  }

  /** Whether `error` ended an attempt on a socket that had carried an earlier response. */
  isReusedSocketFailure(error: unknown): boolean {
    if (typeof error !== 'object' || error === null) return false;
    if (this.#reusedSocketErrors.has(error)) return true;
    const info = (error as { code?: unknown; socket?: { bytesRead?: unknown } }).socket;

    return (
      (error as { code?: unknown }).code === 'UND_ERR_SOCKET' &&
      typeof info?.bytesRead === 'number' &&
      info.bytesRead > 0
    );
  }

  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy()));
  }

  #pool(origin: string, wireOrigin: string): Pool {
    let pool = this.#pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(wireOrigin, {
        connections: this.#settings.connections,
        keepAliveTimeout: this.#settings.keepAliveTimeoutMs,
        keepAliveMaxTimeout: this.#settings.keepAliveMaxTimeoutMs,
        // undici caps a server's `Keep-Alive: timeout=` hint at keepAliveMaxTimeout and subtracts
        // this margin, so an idle socket is dropped before the server drops it.
        keepAliveTimeoutThreshold: this.#settings.keepAliveThresholdMs,
        connect: this.#connect,
      });
      // The pool's own event is exact and per client, unlike the process-global diagnostics
      // channels, so two clients in one process never see each other's connections.
      pool.on('connect', () => {
        this.#open.set(origin, (this.#open.get(origin) ?? 0) + 1);
        this.#onConnect(origin);
      });
      pool.on('disconnect', () => this.#open.set(origin, (this.#open.get(origin) ?? 1) - 1));
      this.#pools.set(origin, pool);
    }

    return pool;
  }

  #watch(socket: Socket): void {
    // Runs before undici's own error listener, so the mark is there when undici hands the error
    // to the request.
    socket.prependListener('error', (error: Error) => {
      if (socket.bytesRead > 0) this.#reusedSocketErrors.add(error);
    });
  }
}

function noop(): Promise<void> {
  return Promise.resolve();
}
