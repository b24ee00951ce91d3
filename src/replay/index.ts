export { loadCassettes } from './load.ts';
export { startReplayServer } from './server.ts';
export type { ReplayServerOptions } from './server.ts';
export { createRecorder, REDACTED } from './recorder.ts';
export type {
  Cassette,
  CassetteRecorder,
  RecordedHeaders,
  RecordedInteraction,
  RecordedRequest,
  RecordedResponse,
  ReplayOriginStats,
  ReplayServer,
  ReplayStats,
} from './types.ts';
