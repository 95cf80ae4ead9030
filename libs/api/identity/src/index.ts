export * from './lib/api-identity-feature.module';

