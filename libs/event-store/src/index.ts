export * from './lib/event-store.port';
export * from './lib/errors';
