export * from './lib/audit.module';
export * from './lib/audit.projection';
