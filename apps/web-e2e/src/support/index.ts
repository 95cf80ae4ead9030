/**
 * The browser-test harness (see apps/web-e2e/README.md). Importing it registers the teardown hooks.
 */
export * from './lifecycle';
export * from './server';
export * from './browser';
export * from './app';
export * from './random';
export * from './monkey';
export * from './accessibility';
