/** The health task: parallel probes with thresholds, breakers and state kept across runs. */
export { createHealthOperator } from './operator.ts';
export type { HealthOperatorOptions, HealthOutput } from './operator.ts';
export { HealthMonitor } from './monitor.ts';
export type { HealthCheck, HealthMonitorEvents, HealthMonitorOptions } from './monitor.ts';
export { healthOptions } from './options.ts';
export type { HealthOptions } from './options.ts';
export { planTargets } from './targets.ts';
export type { CheckKind, HealthTarget, PlanSources, ProbeKind } from './targets.ts';
export { checkHttp, checkStore, DEFAULT_CHECK_TIMEOUT_MS } from './checks.ts';
export type { CheckResult, HttpCheckOptions } from './checks.ts';
export { checkPostgres, checkRedis, checkTcp } from './probes.ts';
export type { ProbeOptions } from './probes.ts';
export { checkJsonConditions } from './conditions.ts';
export type { JsonCondition, JsonScalar } from './conditions.ts';
export { nextRecord } from './state.ts';
export type { TargetRecord, TargetState, Thresholds } from './state.ts';
export type { BreakerOptions, BreakerState } from './breaker.ts';
