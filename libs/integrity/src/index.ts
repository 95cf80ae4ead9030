export * from './lib/canonical-json';
export * from './lib/sha256';
export * from './lib/event-hash';
export * from './lib/merkle';
export * from './lib/checkpoint-statement';
