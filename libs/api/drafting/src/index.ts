export * from './lib/api-drafting-feature.module';

