// Test support for the libraries that test against real adapters (e.g. @concord/event-log-tools):
// raw access to an adapter's storage and a realistic log to seed. Never imported by production code.
export type { EventStoreTamperer, ForgedEvent, HistoryTamperer } from './history-tamperer';
export { createSqliteTamperer } from './sqlite-tamperer';
export { createPostgresTamperer } from './postgres-tamperer';
export { seedRealisticLog } from './realistic-log';
export { rewriteStreamConsistently } from './rechain';
