export { createHttpClient, REPLAY_MISS_HEADER } from './client.ts';
export { mapBounded } from './batch.ts';
export { emptyHttpStats, emptyOriginStats, reuseRatio, statsSince } from './stats.ts';
export type { Settled } from './batch.ts';
export { redactUrl, redactUrlsReplacer, SECRET_QUERY_KEYS } from './redact.ts';
export { LIMIT_DIALECTS, readQuota } from './limit-headers.ts';
export type { LimitDialect, QuotaReading } from './limit-headers.ts';
export type {
  BreakerOptions,
  CircuitStateName,
  ExchangeRecorder,
  HttpClient,
  HttpClientOptions,
  HttpEvent,
  HttpMethod,
  HttpProfile,
  HttpRequestOptions,
  HttpResponse,
  HttpStats,
  OriginStats,
  QueryValue,
  RateLimitRule,
  RecordedExchange,
  RequestRateLimit,
} from './types.ts';
