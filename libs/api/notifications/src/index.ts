export * from './lib/notifications.module';
export * from './lib/notification-derivation';
export * from './lib/notifications.projection';
export * from './lib/notifications.service';
