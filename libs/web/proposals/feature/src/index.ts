export * from './lib/proposals.routes';
