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
import { appendBatchLocked } from './postgres-append';
import { PostgresConnection } from './postgres-connection';
import { describeBatch, PostgresGroupCommit } from './postgres-group-commit';
import { importLocked } from './postgres-import';
import { PostgresListener } from './postgres-listener';
import { PostgresReads } from './postgres-reads';
import { postgresTables } from './postgres-schema';

export { LISTEN_APPLICATION_NAME } from './postgres-listener';

export interface PostgresEventStoreOptions {
  /** Schema holding the event tables, created when missing (tests use a fresh one each). Default `public`. */
  schema?: string;
  /**
   * Default true: appends are group-committed (PostgresGroupCommit). False: every append runs its
   * own transaction on its own pooled connection, as before group commit; kept to measure the
   * difference (tools/bench `--only=pg-appends`), not for production.
   */
  groupCommit?: boolean;
}

/**
 * Event store on PostgreSQL (`pg`), for several API nodes sharing one log. A facade over one file
 * per concern:
 * - `postgres-schema.ts`: the tables (`events`, `streams` with one head record per stream), the
 *   names derived from the schema, the DDL;
 * - `postgres-connection.ts`: the pool, the schema created once, transactions under the append lock;
 * - `postgres-group-commit.ts`: the queue of appends, committed by batches;
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
 * so appends are GROUP-COMMITTED: while one transaction is in flight the appends arriving are
 * queued, and the next transaction takes them all (any streams), checking each on its own, in four
 * round trips whatever their number (BEGIN + lock, read the state, write, COMMIT).
 *
 * Subscriptions: after commit, each batch NOTIFYs the new head position on a per-schema channel;
 * one dedicated LISTEN connection per store wakes the subscriptions, which then read by position —
 * live ones through one shared read of the log's tail per signal (LiveSubscriptions). A node's own
 * commits wake them at once; the notification of the same head that follows is dropped.
 *
 * Connection failures surface as EventStoreUnavailableError.
 */
export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres' as const;

  private readonly connection: PostgresConnection;
  private readonly reads: PostgresReads;
  private readonly listener: PostgresListener;
  private readonly subscriptions = new LiveSubscriptions(
    (afterPosition, maxCount, streamPrefixes) => this.reads.readPage(afterPosition, maxCount, streamPrefixes),
    { tail: true },
  );
  private readonly groupCommit: PostgresGroupCommit | null;
  private closed = false;

  constructor(connection: string | PoolConfig, options: PostgresEventStoreOptions = {}) {
    const tables = postgresTables(options.schema ?? 'public');
    this.connection = new PostgresConnection(connection, tables);
    this.reads = new PostgresReads(this.connection);
    this.listener = new PostgresListener(this.connection.clientConfig, tables, (head) => this.subscriptions.committed(head));
    this.groupCommit =
      options.groupCommit === false
        ? null
        : new PostgresGroupCommit(this.connection, (head) => this.subscriptions.committed(head));
  }

  async append(stream: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    if (this.groupCommit) return this.groupCommit.enqueue(stream, events, options);
    // One transaction per append (groupCommit: false): a batch of one.
    const batch = [{ stream, events, options }];
    const [outcome] = await this.connection.inAppendLock(describeBatch(batch), (client) =>
      appendBatchLocked(client, this.connection.tables, batch),
    );
    if (!outcome.ok) throw outcome.error;
    if (outcome.wrote) this.subscriptions.committed(outcome.result.position);
    return outcome.result;
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
    if (result.eventsWritten > 0) this.subscriptions.committed(result.position);
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Appends already queued still commit (or fail) before the pool ends.
    await this.groupCommit?.idle();
    await this.subscriptions.closeAll();
    await this.listener.close();
    await this.connection.end();
  }
}
