/** The store: the contract, the SQLite implementation and its schema. */
export { SqliteStore, openSqliteStore } from './sqlite.ts';
export type { SqliteStoreOptions } from './sqlite.ts';
export { MIGRATIONS, SCHEMA_VERSION, migrate } from './schema.ts';
export type {
  AppliedOutcomes,
  ArmState,
  Checkpoint,
  Decision,
  PostFilter,
  PostScore,
  RunStatus,
  Snapshot,
  Store,
  StoredPost,
  TaskHistoryQuery,
  TaskRunRecord,
  TaskStatus,
  UpsertResult,
} from './types.ts';
