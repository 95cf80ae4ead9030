export * from './lib/awaiting-review';
export * from './lib/dashboard.store';
