export * from './lib/api-platform.module';

