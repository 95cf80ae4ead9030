export * from './lib/api-collab';
