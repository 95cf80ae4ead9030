import type Database from 'better-sqlite3';
import { EventStoreUnavailableError } from '../errors';
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
import { ImportRejectedError } from '../import/import-checks';
import { LiveSubscriptions } from '../subscription/live-subscriptions';
import { SqliteGroupCommit } from './sqlite-append';
import { sqliteImport, SqliteImport } from './sqlite-import';
import { SqliteReads } from './sqlite-reads';
import { NO_LIMIT, openSqliteDatabase, prepareStatements } from './sqlite-schema';

/**
 * Embedded event store on one SQLite file (better-sqlite3, WAL), the single-node default. A facade
 * over one file per concern:
 * - `sqlite-schema.ts`: opening the file (WAL, `synchronous=FULL`: every commit fsyncs, so an
 *   acknowledged append survives a power cut), the tables and the prepared statements;
 * - `sqlite-append.ts`: appends by group commit — one transaction and one fsync per event-loop
 *   turn, each append in its own savepoint (an fsync per append would cap throughput at the disk's
 *   fsync rate);
 * - `sqlite-reads.ts`: reads of a stream, of the log, of the heads, and subscription pages;
 * - `sqlite-import.ts`: importEvents in one transaction;
 * - live subscriptions (`../subscription/live-subscriptions.ts`) woken in-process after each commit.
 *
 * One process writes the file. Subscriptions read by position; positions are rowids assigned in
 * commit order by the single writer.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;

  private readonly db: Database.Database;
  private readonly reads: SqliteReads;
  private readonly appends: SqliteGroupCommit;
  private readonly importBatch: SqliteImport;
  private readonly subscriptions: LiveSubscriptions;
  private closed = false;

  /** @param filename a file path, or ':memory:' for a throw-away database. */
  constructor(filename: string) {
    this.db = openSqliteDatabase(filename);
    const statements = prepareStatements(this.db);
    this.reads = new SqliteReads(this.db, statements);
    this.subscriptions = new LiveSubscriptions((afterPosition, maxCount, streamPrefixes) =>
      this.reads.readPage(afterPosition, maxCount, streamPrefixes),
    );
    this.appends = new SqliteGroupCommit(this.db, statements, () => this.subscriptions.committed());
    this.importBatch = sqliteImport(this.db, statements);
  }

  append(stream: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreUnavailableError('The SQLite event store is closed'));
    return this.appends.enqueue(stream, events, options);
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.reads.readStream(stream, options);
  }

  async streamRevision(stream: string): Promise<number> {
    return this.reads.streamRevision(stream);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.reads.readAll(options.afterPosition ?? 0, options.maxCount ?? NO_LIMIT, options.streamPrefixes);
  }

  async headPosition(): Promise<number> {
    return this.reads.headPosition();
  }

  async listStreams(): Promise<StreamInfo[]> {
    return this.reads.listStreams();
  }

  subscribe(
    options: SubscribeOptions,
    handler: EventHandler,
    onError?: (error: unknown) => void,
  ): Subscription {
    return this.subscriptions.start(options, handler, onError);
  }

  async importEvents(events: readonly RecordedEvent[]): Promise<ImportEventsResult> {
    if (this.closed) throw new EventStoreUnavailableError('The SQLite event store is closed');
    // Appends queued before the import commit first, so that the import sees them.
    this.appends.flushNow();
    let result: ImportEventsResult;
    try {
      result = this.importBatch.immediate(events);
    } catch (error) {
      if (error instanceof ImportRejectedError) throw error;
      throw new EventStoreUnavailableError('The SQLite event store could not commit the import', error);
    }
    if (result.eventsWritten > 0) this.subscriptions.committed();
    return result;
  }

  /** Commits what is queued, stops the subscriptions, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.appends.flushNow();
    await this.subscriptions.closeAll();
    this.db.close();
  }
}
