export * from './lib/shared-integrity';
