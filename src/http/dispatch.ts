/**
 * One HTTP exchange through undici's dispatch API, with the whole body collected into memory.
 *
 * Why not `dispatcher.request()`: it takes its abort through an AbortSignal and wraps every body
 * in a Readable stream. Handing undici a signal per request is what made two cockatiel
 * TimeoutPolicies cost about twice a bare request ("Where the CPU goes" in `npm run bench:http`);
 * undici's own `abort` function, which a handler receives, costs nothing until it is called. The
 * collecting handler itself measured between 0.7x and 1.1x the CPU of `Pool#request` plus a body
 * read across runs on a shared machine: never the slow part.
 */
import type { Dispatcher } from 'undici';

import type { OriginStats } from './types.ts';

/** @internal What came back. */
export interface RawResponse {
  status: number;
  statusText: string;
  /** Lower-case names; repeated headers joined with ", "; set-cookie dropped. */
  headers: Record<string, string>;
  body: Buffer;
}

/** @internal An exchange in flight. */
export interface Exchange {
  readonly response: Promise<RawResponse>;
  /** Whether any response byte (the status line) has arrived. */
  readonly hasResponse: boolean;
  /** Ends the exchange at once with `error`, freeing its socket; later calls do nothing. */
  abort(error: Error): void;
}

/** @internal */
export interface ExchangeLimits {
  /** Largest body accepted, bytes; past it the exchange fails with `tooLarge()`. */
  maxBytes: number;
  tooLarge: () => Error;
  /**
   * Counts `requests` and `bytesOut` when the request is written (not while it queues), and each
   * body chunk in `bytesIn` as it arrives, so failed bodies count too.
   */
  stats: OriginStats;
  /** Size of the request body, bytes. */
  bytesOut: number;
}

/** @internal Starts one exchange on `dispatcher`. */
export function startExchange(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  limits: ExchangeLimits,
): Exchange {
  const handler = new CollectingHandler(limits);
  dispatcher.dispatch(options, handler);

  return handler;
}

/**
 * undici's handler contract in its original form (onConnect, onHeaders, onData, onComplete,
 * onError): the one its own request API implements, which undici passes through unwrapped.
 */
class CollectingHandler implements Exchange {
  readonly response: Promise<RawResponse>;
  hasResponse = false;
  readonly #limits: ExchangeLimits;
  #resolve!: (response: RawResponse) => void;
  #reject!: (error: Error) => void;
  #abortSocket: ((error: Error) => void) | undefined;
  #pendingAbort: Error | undefined;
  #isSettled = false;
  #status = 0;
  #statusText = '';
  #headers: Record<string, string> = {};
  #chunks: Buffer[] = [];
  #size = 0;

  constructor(limits: ExchangeLimits) {
    this.#limits = limits;
    this.response = new Promise<RawResponse>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  abort(error: Error): void {
    if (this.#isSettled) return;
    // A request still queued in the pool has no abort function yet: fail the caller now and cut
    // the request as soon as undici hands one over.
    this.#fail(error);
    if (this.#abortSocket === undefined) this.#pendingAbort = error;
    else this.#abortSocket(error);
  }

  onConnect(abort: (error?: Error) => void): void {
    // undici calls this just before it writes the request on a socket (client-h1.js, writeH1).
    // Throwing fails this request alone and leaves the socket for the next one; calling `abort`
    // here would destroy the socket.
    if (this.#pendingAbort !== undefined) throw this.#pendingAbort;
    this.#abortSocket = abort;
    const { stats, bytesOut } = this.#limits;
    stats.requests += 1;
    stats.bytesOut += bytesOut;
  }

  onHeaders(status: number, rawHeaders: Buffer[], _resume: () => void, statusText: string) {
    // 1xx answers (100 Continue, 103 Early Hints) are not the response.
    if (status < 200) return true;
    this.hasResponse = true;
    this.#limits.stats.responses = (this.#limits.stats.responses ?? 0) + 1;
    this.#status = status;
    this.#statusText = statusText;
    this.#headers = flattenRawHeaders(rawHeaders);

    return true;
  }

  onData(chunk: Buffer): boolean {
    this.#size += chunk.length;
    this.#limits.stats.bytesIn += chunk.length;
    if (this.#size > this.#limits.maxBytes) {
      this.abort(this.#limits.tooLarge());
      return false;
    }
    this.#chunks.push(chunk);

    return true;
  }

  onComplete(): void {
    if (this.#isSettled) return;
    this.#isSettled = true;
    const body = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
    this.#resolve({
      status: this.#status,
      statusText: this.#statusText,
      headers: this.#headers,
      body,
    });
  }

  onError(error: Error): void {
    this.#fail(error);
  }

  #fail(error: Error): void {
    if (this.#isSettled) return;
    this.#isSettled = true;
    this.#chunks = [];
    this.#reject(error);
  }
}

/** Lower-case names, repeats joined by ", " (RFC 9110 5.3), no set-cookie (never needed, often secret). */
function flattenRawHeaders(raw: Buffer[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index]!.toString('latin1').toLowerCase();
    // `__proto__` would replace the record's prototype rather than add a header.
    if (name === 'set-cookie' || name === '__proto__') continue;
    const value = raw[index + 1]!.toString('latin1');
    const previous = headers[name];
    headers[name] = previous === undefined ? value : `${previous}, ${value}`;
  }

  return headers;
}
