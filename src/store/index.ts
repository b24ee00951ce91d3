/** The store: the contract, the SQLite implementation and its schema. */
export { SqliteStore, openSqliteStore } from './sqlite.ts';
export type { SqliteStoreOptions } from './sqlite.ts';
export { MIGRATIONS, SCHEMA_VERSION, migrate } from './schema.ts';
export type {
  AppliedOutcomes,
  ArmDecay,
  ArmState,
  Checkpoint,
  Decision,
  HealthRecord,
  PostFilter,
  PostScore,
  RunStatus,
  Snapshot,
  Store,
  StoredPost,
  StoredReport,
  TaskHistoryQuery,
  TaskRunRecord,
  TaskStatus,
  UpsertResult,
} from './types.ts';
