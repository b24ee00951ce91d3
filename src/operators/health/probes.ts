/**
 * TCP connect, Redis PING and SQL `SELECT 1` checks. Each never throws; each has its own deadline.
 * ioredis and pg load on a check's first use: most runs configure neither check, and loading
 * them costs every process several MB of resident memory (docs/bench.md, the import floor).
 */
import { connect as connectTcp } from 'node:net';
import { redactRedisUrl } from '../../cache/redis-url.ts';
import { bounded, type CheckResult, type ProbeOutcome } from './bounded.ts';
import { DEFAULT_CHECK_TIMEOUT_MS } from './checks.ts';

/** Options shared by the probes. */
export interface ProbeOptions {
  /** Time allowed for the whole check, milliseconds. Default: 5000. */
  timeoutMs?: number;
  /** Aborts the check (run cancellation). */
  signal?: AbortSignal | undefined;
}

/**
 * Up when a TCP connection to `host:port` opens; it is closed at once.
 *
 * @example
 * const result = await checkTcp('127.0.0.1', 5432, { timeoutMs: 1_000 });
 */
export function checkTcp(
  host: string,
  port: number,
  options: ProbeOptions = {},
): Promise<CheckResult> {
  const target = `tcp ${host}:${port}`;
  return bounded(
    options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
    options.signal,
    (signal) => {
      return new Promise((resolve) => {
        const socket = connectTcp({ host, port, signal });
        socket.once('connect', () => {
          socket.destroy();
          resolve({ ok: true });
        });
        socket.once('error', (error: NodeJS.ErrnoException) => {
          socket.destroy();
          resolve({ ok: false, error: `${target}: ${error.code ?? error.message}` });
        });
      });
    },
    target,
  );
}

/**
 * Up when Redis at `url` answers PING with PONG (after AUTH, when the URL carries a password).
 * Errors name the URL with its password masked.
 *
 * @example
 * const result = await checkRedis('redis://127.0.0.1:6379/0');
 */
export async function checkRedis(url: string, options: ProbeOptions = {}): Promise<CheckResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const label = redactRedisUrl(url);
  // Loaded on first use, as most runs have no Redis check (docs/bench.md, import floor), and
  // before the clock starts: loading takes tens of milliseconds that are not the server's.
  const { Redis } = await import('ioredis');

  return bounded(
    timeoutMs,
    options.signal,
    (signal) => pingRedis(Redis, url, label, timeoutMs, signal),
    `redis ${label}`,
  );
}

async function pingRedis(
  Redis: typeof import('ioredis').Redis,
  url: string,
  label: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<ProbeOutcome> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // ioredis rejects a failed connect with a bare "Connection is closed."; the error event
  // carries the cause (ECONNREFUSED, a TLS or AUTH failure).
  let cause: string | undefined;
  client.on('error', (error: Error) => {
    cause ??= error.message;
  });
  const stop = (): void => client.disconnect();
  signal.addEventListener('abort', stop, { once: true });
  try {
    await client.connect();
    const answer = await client.ping();
    return answer === 'PONG'
      ? { ok: true }
      : { ok: false, error: `redis ${label} answered ${JSON.stringify(answer)} to PING` };
  } catch (error) {
    const message = (error as Error).message;
    const why = /connection is closed/i.test(message) && cause !== undefined ? cause : message;
    return { ok: false, error: `redis ${label}: ${why}` };
  } finally {
    signal.removeEventListener('abort', stop);
    client.disconnect();
  }
}

/**
 * Up when PostgreSQL at `url` (`postgres://user@host:5432/db`) answers `SELECT 1`.
 * Errors never include the URL's password.
 *
 * @example
 * const result = await checkPostgres(process.env.DATABASE_URL!, { timeoutMs: 2_000 });
 */
export async function checkPostgres(url: string, options: ProbeOptions = {}): Promise<CheckResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const label = postgresLabel(url);
  // Loaded on first use and before the clock starts, as ioredis above.
  const { default: pg } = await import('pg');

  return bounded(
    timeoutMs,
    options.signal,
    (signal) => selectOne(pg, url, label, timeoutMs, signal),
    `postgres ${label}`,
  );
}

async function selectOne(
  pg: typeof import('pg').default,
  url: string,
  label: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<ProbeOutcome> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  // A socket error after the query (server restart) must not crash the process.
  client.on('error', () => undefined);
  const stop = (): void => void client.end().catch(() => undefined);
  signal.addEventListener('abort', stop, { once: true });
  try {
    await client.connect();
    const result = await client.query<{ ok: number }>('SELECT 1 AS ok');
    return result.rows[0]?.ok === 1
      ? { ok: true }
      : { ok: false, error: `postgres ${label} answered SELECT 1 with something else` };
  } catch (error) {
    const why = redactPassword((error as Error).message, url);
    return { ok: false, error: `postgres ${label}: ${why}` };
  } finally {
    signal.removeEventListener('abort', stop);
    await client.end().catch(() => undefined);
  }
}

/** `host:port/db` of a PostgreSQL URL, without user or password, for messages. */
function postgresLabel(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    // An unparseable URL may hold a password anywhere; name none of it.
    return '(unparseable URL)';
  }
}

/** pg's messages name the user and host, never the password; this masks it should one appear. */
function redactPassword(message: string, url: string): string {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password === '' ? message : message.split(password).join('***');
  } catch {
    return message;
  }
}
