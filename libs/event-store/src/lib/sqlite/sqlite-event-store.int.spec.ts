import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '../../testing/event-store.contract';
import type { EventStore } from '../event-store.port';
import { SqliteEventStore, SqliteEventStoreOptions } from './sqlite-event-store';

// A file with the default writer (in-thread), a file with the writer thread (opt-in), and
// ':memory:' (always in-thread, not durable).
for (const [name, options] of [
  ['sqlite', {}],
  ['sqlite (writer thread)', { writer: 'thread' }],
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
