export * from './lib/history-api';
export * from './lib/editing-sessions';
export * from './lib/diff-segments';
export * from './lib/history.store';
