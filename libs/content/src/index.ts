export * from './lib/shared-content';
