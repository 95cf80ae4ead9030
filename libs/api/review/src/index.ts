export * from './lib/review.module';
export * from './lib/threads.projection';
