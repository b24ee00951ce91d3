export { createHttpClient, REPLAY_MISS_HEADER } from './client.ts';
export { mapBounded } from './batch.ts';
export type { Settled } from './batch.ts';
export { redactUrl, SECRET_QUERY_KEYS } from './redact.ts';
export type {
  ExchangeRecorder,
  HttpClient,
  HttpClientOptions,
  HttpMethod,
  HttpProfile,
  HttpRequestOptions,
  HttpResponse,
  HttpStats,
  OriginStats,
  QueryValue,
  RecordedExchange,
} from './types.ts';
