import type { ExchangeRecorder } from '../http/types.ts';

/** Header name as recorded (case kept) to its values. */
export type RecordedHeaders = Record<string, string[]>;

/** The request half of a recorded interaction. */
export interface RecordedRequest {
  /** Upper case, e.g. `GET`. */
  method: string;
  /** Absolute URL, query included. */
  uri: string;
  headers: RecordedHeaders;
  body: string | null;
}

/** The response half of a recorded interaction. */
export interface RecordedResponse {
  status: number;
  /** Reason phrase; may be empty. */
  message: string;
  headers: RecordedHeaders;
  /** The body bytes exactly as recorded (still compressed when the recording is). */
  body: Buffer;
  /** Whether the recording stored the body as text (so it was already decoded). */
  isBodyText: boolean;
}

/** One recorded request and its response. */
export interface RecordedInteraction {
  request: RecordedRequest;
  response: RecordedResponse;
  /** The file it came from. */
  file: string;
  /** ISO time of recording, or null when the file does not say. */
  recordedAt: string | null;
}

/** Every interaction of the loaded files, in file order then recorded order. */
export interface Cassette {
  interactions: RecordedInteraction[];
  files: string[];
}

/** Counts of one replayed origin. */
export interface ReplayOriginStats {
  /** The recorded origin, e.g. `https://oauth.reddit.com`. */
  origin: string;
  /** Where it is served, e.g. `http://127.0.0.1:40123`. */
  localOrigin: string;
  requests: number;
  misses: number;
}

/** Counts of a replay server since it started. */
export interface ReplayStats {
  requests: number;
  misses: number;
  byOrigin: ReplayOriginStats[];
}

/** Local servers that answer requests from recordings, one per recorded origin. */
export interface ReplayServer {
  /** Recorded origin to local origin; pass it to `createHttpClient({ originMap })`. */
  originMap: Map<string, string>;
  stats(): ReplayStats;
  close(): Promise<void>;
}

/** An exchange recorder that writes what it saw as one Betamax JSON cassette. */
export interface CassetteRecorder extends ExchangeRecorder {
  /** Exchanges buffered and not yet written. */
  readonly size: number;
  /** Writes the buffered exchanges to `flywheel-<timestamp>.json`; returns its path, or null when empty. */
  flush(): Promise<string | null>;
}
