/** Test helpers of the HTTP layer: a misbehaving server and the headers real platforms send. */
export { limitHeaders, retryAfterValue, startFaultServer } from './fault-server.ts';
export type {
  Fault,
  FaultReply,
  FaultRequest,
  FaultServer,
  FaultServerOptions,
  FaultServerStats,
  LimitHeaderStyle,
  RetryAfterForm,
} from './fault-server.ts';
