export * from './lib/collab.module';
export * from './lib/collab.provider';
export * from './lib/content-hash-tracker.service';
