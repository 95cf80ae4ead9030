export * from './lib/event-store.port';
export * from './lib/errors';
export { MemoryEventStore } from './lib/memory/memory-event-store';
export { SqliteEventStore, type SqliteEventStoreOptions } from './lib/sqlite/sqlite-event-store';
export { PostgresEventStore, type PostgresEventStoreOptions } from './lib/postgres/postgres-event-store';
export {
  configuredSqliteFile,
  configuredStoreKind,
  createEventStoreFromEnv,
  type EventStoreEnv,
} from './lib/create-event-store-from-env';
export { chainLinkProblem, type ChainLinkHead } from './lib/chain/chain-link';
export { ImportRejectedError, checkImportedEvent, type ImportedStreamHead } from './lib/import/import-checks';
export * from './lib/stream-key';
export { Backoff, retryWithBackoff, WakeableWait, type RetryOptions } from './lib/retry/backoff';
export type { KurrentDbEventStore, KurrentDbClientLike, KurrentDbEventStoreOptions } from './lib/kurrentdb/kurrentdb-event-store';
export { createKurrentDbEventStore } from './lib/kurrentdb/load-kurrentdb-event-store';
