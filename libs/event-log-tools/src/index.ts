export {
  verifyEventStore,
  type ChainBreak,
  type VerifyOptions,
  type VerifyProgress,
  type VerifyReport,
} from './lib/verify/verify-event-store';
export * from './lib/transfer/event-log-format';
export * from './lib/transfer/export-event-log';
export * from './lib/transfer/import-event-log';
export * from './lib/checkpoint/stream-heads';
export * from './lib/checkpoint/checkpoint';
export * from './lib/configured-store';
export * from './lib/transfer/content-snapshot-migration';
