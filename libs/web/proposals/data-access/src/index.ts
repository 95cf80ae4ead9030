export * from './lib/proposals-api';
export * from './lib/proposal-permissions';
export * from './lib/proposal.store';
