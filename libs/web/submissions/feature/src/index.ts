export * from './lib/submissions.routes';
