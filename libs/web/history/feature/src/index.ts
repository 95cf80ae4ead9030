export * from './lib/history.routes';
