export * from './lib/history.module';
