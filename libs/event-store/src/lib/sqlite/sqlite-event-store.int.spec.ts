import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '../../testing/event-store.contract';
import type { EventStore } from '../event-store.port';
import { SqliteEventStore, SqliteEventStoreOptions } from './sqlite-event-store';

// A file with the default writer (a worker thread), a file with the in-thread writer (the
// benchmarks' baseline), and ':memory:' (always in-thread, not durable).
for (const [name, options] of [
  ['sqlite', {}],
  ['sqlite (in-thread writer)', { writer: 'in-thread' }],
] as Array<[string, SqliteEventStoreOptions]>) {
  describeEventStoreContract(
    name,
    async () => {
      const directory = mkdtempSync(join(tmpdir(), 'concord-sqlite-'));
      const filename = join(directory, 'events.sqlite');
      let store: EventStore = new SqliteEventStore(filename, options);
      return {
        store,
        reopen: async () => {
          await store.close();
          store = new SqliteEventStore(filename, options);
          return store;
        },
        cleanup: async () => {
          await store.close();
          rmSync(directory, { recursive: true, force: true });
        },
      };
    },
    { durable: true },
  );
}

describeEventStoreContract(
  'sqlite :memory:',
  async () => {
    const store = new SqliteEventStore(':memory:');
    return { store, cleanup: () => store.close() };
  },
  { durable: false },
);
