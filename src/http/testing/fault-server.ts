/**
 * A misbehaving HTTP server for tests and benchmarks: it answers through a handler and, per
 * request, may fail in the ways real servers do. It listens on 127.0.0.1 only, refuses work past
 * `maxRequests` and `maxConnections`, and stops by itself after `lifetimeMs`, so a test that
 * forgets it cannot hang the run.
 *
 * @example
 * const server = await startFaultServer({
 *   handler: () => ({ body: { ok: true } }),
 *   fault: ({ index }) => (index % 3 === 0 ? { kind: 'status', status: 503 } : undefined),
 * });
 * // ... requests to server.origin ...
 * await server.close();
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** A request as the handler and the fault plan see it. */
export interface FaultRequest {
  method: string;
  /** The path without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Requests before this one, server-wide (0 for the first). */
  index: number;
  /** Requests before this one on the same connection (0 on a fresh connection). */
  onSocket: number;
}

/** A normal answer. Objects are sent as JSON. */
export interface FaultReply {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer | object;
}

/** One way to misbehave. */
export type Fault =
  /** Answer this status (a 5xx burst, a 429 storm with its Retry-After). */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** Answer normally with `Connection: close`, then close. */
  | { kind: 'close' }
  /** Destroy the connection before sending a byte. */
  | { kind: 'reset' }
  /** Send the headers and half the body, then reset the connection. */
  | { kind: 'reset-mid-body' }
  /** Declare the full length, send half, and end the connection cleanly. */
  | { kind: 'truncate' }
  /** Send nothing for `ms` (default: until the server closes), then answer. */
  | { kind: 'stall-headers'; ms?: number }
  /** Send the headers and half the body, then nothing for `ms` (default: until close). */
  | { kind: 'stall-body'; ms?: number };

/** Options of `startFaultServer`. */
export interface FaultServerOptions {
  /** Answers requests that no fault takes. Default: 200 with `{"ok":true}`. */
  handler?: (request: FaultRequest) => FaultReply | Promise<FaultReply>;
  /** Chooses a fault for a request, or none. Default: none. */
  fault?: (request: FaultRequest) => Fault | undefined;
  /** Delay before every answer, milliseconds. Default: 0. */
  latencyMs?: number;
  /** Seconds announced in `Keep-Alive: timeout=`; 0 sends no hint. Default: 5. */
  keepAliveHintS?: number;
  /**
   * Idle time after which the server closes a connection, milliseconds. Set it below the hint to
   * close idle sockets early, as real servers under load do. Default: the hint.
   */
  idleCloseMs?: number;
  /** Requests served before every further one is refused with 503. Default: 10000. */
  maxRequests?: number;
  /** Connections accepted before further ones are destroyed. Default: 1000. */
  maxConnections?: number;
  /** The server stops by itself after this long, milliseconds. Default: 30000. */
  lifetimeMs?: number;
}

/** What the server saw. */
export interface FaultServerStats {
  requests: number;
  /** TCP connections accepted. */
  connections: number;
  /** `performance.now()` at each request's arrival, in order. */
  arrivals: number[];
  /** Faults served, by kind. */
  faults: Record<string, number>;
  /** Connections open now. */
  openConnections: number;
  /** Requests whose answer is still being written or stalled. */
  inFlight: number;
}

/** A running fault server. */
export interface FaultServer {
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  stats(): FaultServerStats;
  /** Closes every connection and stops listening; safe to call twice. */
  close(): Promise<void>;
}

const DEFAULTS = {
  latencyMs: 0,
  keepAliveHintS: 5,
  maxRequests: 10_000,
  maxConnections: 1_000,
  lifetimeMs: 30_000,
};

/** Starts a fault server on 127.0.0.1 with a free port. */
export async function startFaultServer(options: FaultServerOptions = {}): Promise<FaultServer> {
  const settings = { ...DEFAULTS, ...options };
  const idleCloseMs = options.idleCloseMs ?? settings.keepAliveHintS * 1000;
  const handler = options.handler ?? (() => ({ body: { ok: true } }));
  const stats: FaultServerStats = {
    requests: 0,
    connections: 0,
    arrivals: [],
    faults: {},
    openConnections: 0,
    inFlight: 0,
  };
  const served = new WeakMap<Socket, number>();
  const idleTimers = new Map<Socket, NodeJS.Timeout>();
  const stalls = new Set<NodeJS.Timeout>();
  let isClosed = false;

  const idle = (socket: Socket): void => {
    clearTimeout(idleTimers.get(socket));
    if (idleCloseMs <= 0) return;
    const timer = setTimeout(() => socket.destroy(), idleCloseMs);
    timer.unref();
    idleTimers.set(socket, timer);
  };
  const wait = (ms: number | undefined): Promise<void> =>
    new Promise((resolve) => {
      // Without `ms` the stall lasts until close(), which clears the timer and drops the socket.
      const timer = setTimeout(resolve, ms ?? settings.lifetimeMs);
      stalls.add(timer);
    });

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const socket = req.socket;
    clearTimeout(idleTimers.get(socket));
    const request: FaultRequest = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0]!,
      query: new URL(req.url ?? '/', 'http://x').searchParams,
      headers: req.headers,
      index: stats.requests,
      onSocket: served.get(socket) ?? 0,
    };
    stats.requests += 1;
    stats.arrivals.push(performance.now());
    served.set(socket, request.onSocket + 1);
    for await (const chunk of req) void chunk;

    if (request.index >= settings.maxRequests) {
      send(res, { status: 503, body: 'fault server: request limit reached' }, true, 0);
      return;
    }
    if (settings.latencyMs > 0) await wait(settings.latencyMs);
    const fault = options.fault?.(request);
    if (fault !== undefined) stats.faults[fault.kind] = (stats.faults[fault.kind] ?? 0) + 1;
    const hint = settings.keepAliveHintS;

    switch (fault?.kind) {
      case undefined:
        return send(res, await handler(request), false, hint);
      case 'status':
        return send(
          res,
          { status: fault.status, headers: fault.headers, body: fault.body ?? '' },
          false,
          hint,
        );
      case 'close':
        return send(res, await handler(request), true, hint);
      case 'reset':
        socket.resetAndDestroy();
        return;
      case 'reset-mid-body':
      case 'truncate':
      case 'stall-body': {
        const body = encode(await handler(request));
        writeHead(res, 200, body, false, hint);
        res.write(body.bytes.subarray(0, Math.floor(body.bytes.length / 2)));
        if (fault.kind === 'reset-mid-body') socket.resetAndDestroy();
        if (fault.kind === 'truncate') socket.end();
        if (fault.kind !== 'stall-body') return;
        await wait(fault.ms);
        res.end(body.bytes.subarray(Math.floor(body.bytes.length / 2)));
        return;
      }
      case 'stall-headers':
        await wait(fault.ms);
        return send(res, await handler(request), false, hint);
    }
  };

  const server = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
    stats.inFlight += 1;
    res.on('close', () => {
      stats.inFlight -= 1;
      if (!req.socket.destroyed) idle(req.socket);
    });
    serve(req, res).catch(() => {
      // The client went away mid-answer, or close() ran: nothing is left to answer.
      res.destroy();
    });
  });
  // The server's own keep-alive timer would close sockets at the hint; ours decides instead.
  server.keepAliveTimeout = 0;
  server.on('connection', (socket: Socket) => {
    stats.connections += 1;
    stats.openConnections += 1;
    socket.on('close', () => {
      stats.openConnections -= 1;
      clearTimeout(idleTimers.get(socket));
      idleTimers.delete(socket);
    });
    if (stats.connections > settings.maxConnections) socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const close = async (): Promise<void> => {
    if (isClosed) return;
    isClosed = true;
    clearTimeout(lifetime);
    for (const timer of stalls) clearTimeout(timer);
    for (const timer of idleTimers.values()) clearTimeout(timer);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  const lifetime = setTimeout(() => void close(), settings.lifetimeMs);
  lifetime.unref();

  return {
    origin,
    stats: () => ({ ...stats, arrivals: [...stats.arrivals], faults: { ...stats.faults } }),
    close,
  };
}

interface Encoded {
  bytes: Buffer;
  headers: Record<string, string>;
  status: number;
}

function encode(reply: FaultReply): Encoded {
  const { body } = reply;
  const isJson = body !== undefined && typeof body === 'object' && !Buffer.isBuffer(body);
  const bytes = Buffer.isBuffer(body)
    ? body
    : Buffer.from(isJson ? JSON.stringify(body) : ((body as string | undefined) ?? ''));
  const type = isJson ? 'application/json' : 'text/plain; charset=utf-8';

  return {
    bytes,
    status: reply.status ?? 200,
    headers: { 'content-type': type, ...reply.headers },
  };
}

function writeHead(
  res: ServerResponse,
  status: number,
  encoded: Encoded,
  isClosing: boolean,
  hintS: number,
): void {
  const headers: Record<string, string> = {
    ...encoded.headers,
    'content-length': String(encoded.bytes.length),
    connection: isClosing ? 'close' : 'keep-alive',
  };
  if (!isClosing && hintS > 0) headers['keep-alive'] = `timeout=${hintS}`;
  res.writeHead(status, headers);
}

function send(res: ServerResponse, reply: FaultReply, isClosing: boolean, hintS: number): void {
  const encoded = encode(reply);
  writeHead(res, encoded.status, encoded, isClosing, hintS);
  res.end(encoded.bytes);
  if (isClosing) res.once('finish', () => res.socket?.end());
}

/** The forms a `Retry-After` value can take (RFC 9110 10.2.3 and 5.6.7). */
export type RetryAfterForm = 'seconds' | 'imf-fixdate' | 'rfc850' | 'asctime';

/** A `Retry-After` value asking for `seconds`, in the given form. */
export function retryAfterValue(form: RetryAfterForm, seconds: number, nowMs = Date.now()): string {
  if (form === 'seconds') return String(seconds);
  // Whole seconds: dates carry no fraction, so round up to never ask for less than meant.
  const at = new Date(Math.ceil((nowMs + seconds * 1000) / 1000) * 1000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const longDays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const months = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ];
  const time = `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
  const day = at.getUTCDate();
  const month = months[at.getUTCMonth()]!;
  const year = at.getUTCFullYear();

  switch (form) {
    case 'imf-fixdate':
      return `${days[at.getUTCDay()]!}, ${pad(day)} ${month} ${year} ${time} GMT`;
    case 'rfc850':
      return `${longDays[at.getUTCDay()]!}, ${pad(day)}-${month}-${pad(year % 100)} ${time} GMT`;
    case 'asctime':
      return `${days[at.getUTCDay()]!} ${month} ${String(day).padStart(2, ' ')} ${time} ${year}`;
  }
}

/** Platforms' limit-header dialects as servers send them. */
export type LimitHeaderStyle = 'reddit' | 'mastodon' | 'ietf' | 'ietf-epoch';

/** The headers a platform sends to say `remaining` of `limit` are left until `resetInS` from now. */
export function limitHeaders(
  style: LimitHeaderStyle,
  quota: { limit: number; remaining: number; resetInS: number },
  nowMs = Date.now(),
): Record<string, string> {
  const { limit, remaining, resetInS } = quota;
  switch (style) {
    case 'reddit':
      return {
        'x-ratelimit-used': String(limit - remaining),
        'x-ratelimit-remaining': remaining.toFixed(1),
        'x-ratelimit-reset': String(resetInS),
      };
    case 'mastodon':
      return {
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': String(remaining),
        'x-ratelimit-reset': new Date(nowMs + resetInS * 1000).toISOString(),
      };
    case 'ietf':
      return {
        'ratelimit-limit': String(limit),
        'ratelimit-remaining': String(remaining),
        'ratelimit-reset': String(resetInS),
      };
    case 'ietf-epoch':
      return {
        'ratelimit-limit': String(limit),
        'ratelimit-remaining': String(remaining),
        'ratelimit-reset': String(Math.ceil(nowMs / 1000 + resetInS)),
        'ratelimit-policy': `${limit};w=${resetInS}`,
      };
  }
}
