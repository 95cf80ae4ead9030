export * from './lib/api-event-store';
