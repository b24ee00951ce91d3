/** The health task: parallel probes of platforms, services and the store. */
export { createHealthOperator } from './operator.ts';
export type { CheckKind, HealthCheck, HealthOperatorOptions, HealthOutput } from './operator.ts';
export { checkHttp, checkStore, DEFAULT_CHECK_TIMEOUT_MS } from './checks.ts';
export type { CheckResult, HttpCheckOptions } from './checks.ts';
