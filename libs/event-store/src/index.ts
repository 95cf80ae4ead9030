export * from './lib/event-store.port';
export * from './lib/errors';
export { MemoryEventStore } from './lib/memory/memory-event-store';
export { SqliteEventStore } from './lib/sqlite/sqlite-event-store';
export { PostgresEventStore, type PostgresEventStoreOptions } from './lib/postgres/postgres-event-store';
export { createEventStoreFromEnv, type EventStoreEnv } from './lib/create-event-store-from-env';
export {
  verifyEventStore,
  type ChainBreak,
  type VerifyOptions,
  type VerifyProgress,
  type VerifyReport,
} from './lib/verify/verify-event-store';
export { ImportRejectedError, checkImportedEvent, type ImportedStreamHead } from './lib/transfer/import-checks';
export * from './lib/transfer/event-log-format';
export * from './lib/transfer/export-event-log';
export * from './lib/transfer/import-event-log';
export * from './lib/transfer/stream-heads';
export * from './lib/transfer/checkpoint';
export * from './lib/transfer/configured-store';
export * from './lib/transfer/stream-key';
export type { KurrentDbEventStore, KurrentDbClientLike, KurrentDbEventStoreOptions } from './lib/kurrentdb/kurrentdb-event-store';
export { createKurrentDbEventStore } from './lib/kurrentdb/load-kurrentdb-event-store';
