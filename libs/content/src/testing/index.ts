// Test and benchmark helpers (Node only). Not part of the `@concord/content` barrel.
export * from './traces';
export * from './random';
