export * from './lib/audit-access';
export * from './lib/audit-api';
export * from './lib/audit-query';
export * from './lib/audit-log.store';
export * from './lib/chain-verification.store';
export * from './lib/member-names';
export * from './lib/proposal-replay.store';
export * from './lib/checkpoints.store';
