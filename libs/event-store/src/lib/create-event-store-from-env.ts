import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EventStore } from './event-store.port';
import { createKurrentDbEventStore } from './kurrentdb/load-kurrentdb-event-store';
import { MemoryEventStore } from './memory/memory-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

/** The part of the environment that names the event store (also read by the log's tools). */
export type EventStoreEnv = Partial<
  Record<'EVENT_STORE' | 'DATA_DIR' | 'DATABASE_URL' | 'KURRENTDB_URL' | 'SQLITE_WRITER', string>
>;

/** The configured kind of store, as written in `EVENT_STORE` (default `sqlite`), not yet checked. */
export function configuredStoreKind(env: EventStoreEnv): string {
  return env.EVENT_STORE?.trim() || 'sqlite';
}

/** The SQLite file createEventStoreFromEnv opens, or null when another store is configured. */
export function configuredSqliteFile(env: EventStoreEnv): string | null {
  return configuredStoreKind(env) === 'sqlite' ? join(env.DATA_DIR || './data', 'concord.sqlite') : null;
}

/**
 * The store the configuration names (ARCHITECTURE §6):
 * - `EVENT_STORE=sqlite` (default): `${DATA_DIR ?? './data'}/concord.sqlite`, directory created;
 *   appends committed on the main thread, or by a worker thread with `SQLITE_WRITER=thread`
 *   (opt-in: see SqliteEventStoreOptions.writer for why it is not the default);
 * - `EVENT_STORE=postgres`: `DATABASE_URL`, tables in the `public` schema;
 * - `EVENT_STORE=kurrentdb`: `KURRENTDB_URL` (e.g. `kurrentdb://localhost:2113?tls=false`, or several
 *   comma-separated hosts for a cluster); the client is loaded only then and connects on first use;
 * - `EVENT_STORE=memory`: nothing persists (tests, benchmarks).
 */
export function createEventStoreFromEnv(env: EventStoreEnv = process.env): EventStore {
  const kind = configuredStoreKind(env);
  switch (kind) {
    case 'sqlite': {
      const file = configuredSqliteFile(env) as string;
      mkdirSync(dirname(file), { recursive: true });
      const writer = env.SQLITE_WRITER?.trim() || 'in-thread';
      if (writer !== 'thread' && writer !== 'in-thread') {
        throw new Error(`Unknown SQLITE_WRITER "${writer}": use in-thread (default) or thread`);
      }
      return new SqliteEventStore(file, { writer });
    }
    case 'postgres': {
      if (!env.DATABASE_URL) {
        throw new Error('EVENT_STORE=postgres needs DATABASE_URL (e.g. postgres://user:password@host:5432/concord)');
      }
      return new PostgresEventStore(env.DATABASE_URL);
    }
    case 'memory':
      return new MemoryEventStore();
    case 'kurrentdb': {
      if (!env.KURRENTDB_URL) {
        throw new Error('EVENT_STORE=kurrentdb needs KURRENTDB_URL (e.g. kurrentdb://localhost:2113?tls=false)');
      }
      return createKurrentDbEventStore(env.KURRENTDB_URL);
    }
    default:
      throw new Error(`Unknown EVENT_STORE "${kind}": use sqlite, postgres, kurrentdb or memory`);
  }
}
