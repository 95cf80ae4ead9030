import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '../../testing/event-store.contract';
import type { EventStore } from '../event-store.port';
import { SqliteEventStore } from './sqlite-event-store';

describeEventStoreContract(
  'sqlite',
  async () => {
    const directory = mkdtempSync(join(tmpdir(), 'concord-sqlite-'));
    const filename = join(directory, 'events.sqlite');
    let store: EventStore = new SqliteEventStore(filename);
    return {
      store,
      reopen: async () => {
        await store.close();
        store = new SqliteEventStore(filename);
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
