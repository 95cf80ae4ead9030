export * from './lib/history.module';
export * from './lib/collab.provider';
export * from './lib/content-hash-tracker.service';
