export * from './lib/update-format';
export * from './lib/update-validation';
export * from './lib/document-building';
export * from './lib/rendering';
export * from './lib/seeding';
export * from './lib/attribution';
export * from './lib/diff';
export * from './lib/restore';
export { CONTAINER_NODE_NAMES, LINE_BREAK_NODE_NAMES } from './lib/document-text';
