export * from './lib/audit.routes';
