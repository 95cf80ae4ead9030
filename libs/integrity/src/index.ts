export * from './lib/canonical-json';
export * from './lib/sha256';
export * from './lib/event-hash';
