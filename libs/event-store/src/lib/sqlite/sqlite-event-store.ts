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
import { SqliteAppends, SqliteGroupCommit } from './sqlite-append';
import { sqliteImport, SqliteImport } from './sqlite-import';
import { SqliteReads } from './sqlite-reads';
import { NO_LIMIT, openSqliteDatabase, prepareStatements } from './sqlite-schema';
import { SqliteWorkerGroupCommit } from './sqlite-worker-append';
import { SqliteWriterThread } from './sqlite-writer-thread';

export interface SqliteEventStoreOptions {
  /**
   * Where appends are committed:
   * - `'in-thread'` (the default, and always for ':memory:', which a second connection cannot
   *   open): the main connection commits the appends of each event-loop turn, blocking the loop
   *   for the inserts and the fsync;
   * - `'thread'` (a file only, opt-in): a worker thread with its own connection writes each batch,
   *   so the event loop keeps running during the transaction and its fsync. NOT the default: in
   *   the API it measured slower (load benchmark, 50 documents × 5 editors × 4 updates/s, paired
   *   runs: end-to-end p50 6.5–7.1 ms and p99 51–59 ms against 2.9–3.3 ms and 28–44 ms
   *   in-thread). The 270–280 ms/s of in-thread commits leave the loop, but the read models
   *   write the same file from the main thread and now wait for the writer thread's lock in
   *   SQLite's busy handler, which sleeps on the main thread (their transactions 0.065 → 0.125 ms
   *   mean, +80 ms/s), the commits are more frequent, each waking every subscription (page reads
   *   +90 ms/s), and each commit adds two thread hops. Revisit once the events have a file of
   *   their own.
   */
  writer?: 'thread' | 'in-thread';
}

/**
 * Embedded event store on one SQLite file (better-sqlite3, WAL), the single-node default. A facade
 * over one file per concern:
 * - `sqlite-schema.ts`: opening the file (WAL, `synchronous=FULL`: every commit fsyncs, so an
 *   acknowledged append survives a power cut), the tables and the prepared statements;
 * - `sqlite-append.ts`: appends by group commit on the main connection (the default) — one
 *   transaction and one fsync per event-loop turn, blocking the loop meanwhile;
 * - `sqlite-worker-append.ts` + `sqlite-writer-thread.ts` (`{ writer: 'thread' }`): appends by
 *   group commit written off the event loop — when no commit is in flight an append starts one at
 *   once, appends arriving meanwhile share the next one (one transaction, one fsync, any streams);
 *   the main thread checks and seals each append, a worker thread with a second connection writes
 *   the batch;
 * - `sqlite-reads.ts`: reads of a stream, of the log, of the heads, and subscription pages;
 * - `sqlite-import.ts`: importEvents in one transaction;
 * - live subscriptions (`../subscription/live-subscriptions.ts`) woken in-process after each commit.
 *
 * One process writes the events, through one connection at a time (with the writer thread, imports
 * run on the main connection only while no commit is in flight). Reads run on the main connection and
 * see every committed batch (WAL). Subscriptions read by position; positions are rowids assigned in
 * commit order by the single writer.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;

  private readonly db: Database.Database;
  private readonly reads: SqliteReads;
  private readonly appends: SqliteAppends;
  private readonly importBatch: SqliteImport;
  private readonly subscriptions: LiveSubscriptions;
  private closed = false;

  /** @param filename a file path, or ':memory:' for a throw-away database (always the in-thread writer). */
  constructor(filename: string, options: SqliteEventStoreOptions = {}) {
    this.db = openSqliteDatabase(filename);
    const statements = prepareStatements(this.db);
    this.reads = new SqliteReads(this.db, statements);
    this.subscriptions = new LiveSubscriptions(
      (afterPosition, maxCount, streamPrefixes) => this.reads.readPage(afterPosition, maxCount, streamPrefixes),
      { tail: true },
    );
    const committed = (): void => this.subscriptions.committed();
    this.appends =
      options.writer === 'thread' && !isMemoryDatabase(filename)
        ? new SqliteWorkerGroupCommit(statements, new SqliteWriterThread(filename), committed)
        : new SqliteGroupCommit(this.db, statements, committed);
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
    // After the appends queued before it, with no commit in flight: on the main connection, the
    // import is then the file's only writer.
    const result = await this.appends.exclusive(() => {
      try {
        return this.importBatch.immediate(events);
      } catch (error) {
        if (error instanceof ImportRejectedError) throw error;
        throw new EventStoreUnavailableError('The SQLite event store could not commit the import', error);
      }
    });
    if (result.eventsWritten > 0) this.subscriptions.committed();
    return result;
  }

  /** Commits that wrote appended events since the store opened (diagnostics, tests). */
  get appendCommits(): number {
    return this.appends.commits;
  }

  /** Commits what is queued (settling every append), stops the subscriptions, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.appends.close();
    await this.subscriptions.closeAll();
    this.db.close();
  }
}

function isMemoryDatabase(filename: string): boolean {
  return filename === ':memory:' || filename === '' || filename.startsWith('file::memory:');
}
