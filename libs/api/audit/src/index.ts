export * from './lib/api-audit-feature.module';

