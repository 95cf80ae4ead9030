export * from './lib/review.module';
export * from './lib/threads.projection';
export * from './lib/thread.commands';
export * from './lib/suggestion-tracker.service';
export * from './lib/thread-queries.service';
