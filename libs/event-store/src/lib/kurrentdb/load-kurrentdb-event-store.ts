import type { KurrentDbClientLike, KurrentDbEventStore, KurrentDbEventStoreOptions } from './kurrentdb-event-store';

/**
 * Creates a KurrentDbEventStore, loading the KurrentDB client only at that moment. The client loads
 * a native module when it is first required (its Rust bridge: about 250 ms, and only on the
 * platforms it ships binaries for), which SQLite and PostgreSQL deployments should neither wait for
 * nor depend on; so nothing reachable from the package index requires it eagerly.
 */
export function createKurrentDbEventStore(
  connection: string | KurrentDbClientLike,
  options?: KurrentDbEventStoreOptions,
): KurrentDbEventStore {
  const adapter = require('./kurrentdb-event-store') as typeof import('./kurrentdb-event-store');
  return new adapter.KurrentDbEventStore(connection, options);
}
