export * from './lib/labels/labels';
export * from './lib/status-chip/status-chip';
export * from './lib/approval-state/approval-state';
export * from './lib/role-chips/role-chips';
export * from './lib/page-state/page-state';
export * from './lib/top-bar/top-bar';
export * from './lib/amendment-table/amendment-filters';
export * from './lib/amendment-table/amendment-table';
