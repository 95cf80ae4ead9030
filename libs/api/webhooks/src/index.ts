export * from './lib/webhooks.module';
export * from './lib/webhooks.projection';
export * from './lib/webhook-signature';
export * from './lib/webhook-retries';
export * from './lib/webhook-secrets';
export * from './lib/webhook-payload';
