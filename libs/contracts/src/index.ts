export * from './lib/roles';
export * from './lib/auth.contracts';
export * from './lib/workspace.contracts';
export * from './lib/submission.contracts';
export * from './lib/proposal.contracts';
export * from './lib/history.contracts';
export * from './lib/audit.contracts';
export * from './lib/author-color';
