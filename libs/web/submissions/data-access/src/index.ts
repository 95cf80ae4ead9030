export * from './lib/submissions-api';
export * from './lib/submission.store';
export * from './lib/submission-permissions';
