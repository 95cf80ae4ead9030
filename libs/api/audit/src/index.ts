export * from './lib/audit.module';
export * from './lib/audit.projection';
export * from './lib/checkpoint-signer';
export * from './lib/checkpoint-key';
