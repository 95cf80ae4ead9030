import type { PoolConfig } from 'pg';
import type {
  AppendOptions,
  AppendResult,
  EventHandler,
  EventStore,
  ImportEventsResult,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamInfo,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { LiveSubscriptions } from '../subscription/live-subscriptions';
import { appendLocked } from './postgres-append';
import { PostgresConnection } from './postgres-connection';
import { importLocked } from './postgres-import';
import { PostgresListener } from './postgres-listener';
import { PostgresReads } from './postgres-reads';
import { postgresTables } from './postgres-schema';

export { LISTEN_APPLICATION_NAME } from './postgres-listener';

export interface PostgresEventStoreOptions {
  /** Schema holding the event tables, created when missing (tests use a fresh one each). Default `public`. */
  schema?: string;
}

/**
 * Event store on PostgreSQL (`pg`), for several API nodes sharing one log. A facade over one file
 * per concern:
 * - `postgres-schema.ts`: the tables (`events`, `streams` with one head record per stream), the
 *   names derived from the schema, the DDL;
 * - `postgres-connection.ts`: the pool, the schema created once, transactions under the append lock;
 * - `postgres-append.ts` and `postgres-import.ts`: what runs under that lock;
 * - `postgres-reads.ts`: reads of a stream, of the log, of the heads, and subscription pages;
 * - `postgres-listener.ts`: LISTEN/NOTIFY and its reconnection.
 *
 * Ordering: positions come from a sequence, and a subscriber reads "position > last seen". If two
 * appends could commit out of sequence order, a subscriber could read position 11 before 10
 * commits and skip 10 forever. So appends are SERIALIZED by a transaction-scoped advisory lock (one
 * key per schema): the lock is taken before the sequence is used and released only after commit is
 * visible, hence positions become visible in increasing order. The expected revision and the
 * idempotency check run inside that transaction, after the lock. The cost is one writer at a time,
 * so the append transaction keeps its round trips while holding the lock to three.
 *
 * Subscriptions: after commit, each append NOTIFYs the new head position on a per-schema channel;
 * one dedicated LISTEN connection per store wakes the subscriptions, which then read by position.
 *
 * Connection failures surface as EventStoreUnavailableError.
 */
export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres' as const;

  private readonly connection: PostgresConnection;
  private readonly reads: PostgresReads;
  private readonly listener: PostgresListener;
  private readonly subscriptions = new LiveSubscriptions((afterPosition, maxCount, streamPrefixes) =>
    this.reads.readPage(afterPosition, maxCount, streamPrefixes),
  );
  private closed = false;

  constructor(connection: string | PoolConfig, options: PostgresEventStoreOptions = {}) {
    const tables = postgresTables(options.schema ?? 'public');
    this.connection = new PostgresConnection(connection, tables);
    this.reads = new PostgresReads(this.connection);
    this.listener = new PostgresListener(this.connection.clientConfig, tables, () => this.subscriptions.committed());
  }

  async append(stream: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const { appended, wrote } = await this.connection.inAppendLock(`appending to ${stream}`, (client) =>
      appendLocked(client, this.connection.tables, stream, events, options),
    );
    if (wrote) this.subscriptions.committed();
    return appended;
  }

  readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.reads.readStream(stream, options);
  }

  streamRevision(stream: string): Promise<number> {
    return this.reads.streamRevision(stream);
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.reads.readAll(options);
  }

  headPosition(): Promise<number> {
    return this.reads.headPosition();
  }

  listStreams(): Promise<StreamInfo[]> {
    return this.reads.listStreams();
  }

  subscribe(
    options: SubscribeOptions,
    handler: EventHandler,
    onError?: (error: unknown) => void,
  ): Subscription {
    this.listener.start();
    return this.subscriptions.start(options, handler, onError);
  }

  async importEvents(events: readonly RecordedEvent[]): Promise<ImportEventsResult> {
    const result = await this.connection.inAppendLock('importing', (client) =>
      importLocked(client, this.connection.tables, events),
    );
    if (result.eventsWritten > 0) this.subscriptions.committed();
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.subscriptions.closeAll();
    await this.listener.close();
    await this.connection.end();
  }
}
