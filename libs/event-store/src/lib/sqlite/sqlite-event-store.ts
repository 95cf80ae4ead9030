import Database from 'better-sqlite3';
import { EventStoreUnavailableError, StreamNotFoundError } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventHandler,
  EventMetadata,
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
import { assertExpectedRevision } from '../append/expected-revision';
import { detectIdempotentReplay, StoredEventLocation } from '../append/idempotency';
import { EMPTY_STREAM_HEAD, sealEvents } from '../append/seal-events';
import { fromStoredPayload, toStoredPayload } from '../stored-payload';
import { SubscriptionPage } from '../subscription/catch-up-subscription';
import { LiveSubscriptions } from '../subscription/live-subscriptions';
import { assertUniqueIds, checkImportedEvent, ImportedStreamHead, ImportRejectedError } from '../transfer/import-checks';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    stream TEXT NOT NULL,
    revision INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    is_binary INTEGER NOT NULL,
    data BLOB NOT NULL,
    metadata TEXT NOT NULL,
    UNIQUE (stream, revision)
  );
  CREATE TABLE IF NOT EXISTS streams (
    stream TEXT PRIMARY KEY,
    last_revision INTEGER NOT NULL,
    last_hash TEXT NOT NULL,
    last_position INTEGER NOT NULL
  ) WITHOUT ROWID;
`;

const EVENT_COLUMNS = 'position, stream, revision, id, type, is_binary, data, metadata';
/** SQLite's "no limit". */
const NO_LIMIT = -1;

interface EventRow {
  position: number;
  stream: string;
  revision: number;
  id: string;
  type: string;
  is_binary: number;
  data: Buffer | string;
  metadata: string;
}

interface StreamRow {
  stream: string;
  last_revision: number;
  last_hash: string;
  last_position: number;
}

interface PendingAppend {
  stream: string;
  events: NewEvent[];
  options: AppendOptions;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

type AppendOutcome = { ok: true; result: AppendResult; wrote: boolean } | { ok: false; error: unknown };

/**
 * Embedded event store on one SQLite file (better-sqlite3, WAL), the single-node default.
 *
 * Durability: `synchronous=FULL`, so every commit fsyncs the WAL and an acknowledged append survives
 * a power cut (NORMAL would only survive a process crash). An fsync per append would cap throughput
 * at the disk's fsync rate, so appends use GROUP COMMIT: append() only queues; every append queued
 * in the same event-loop turn (setImmediate, so also appends from several socket messages read in
 * one poll phase) is committed by one transaction, one fsync, after which all their promises
 * settle. Each append runs in its own SAVEPOINT and is checked (expected revision, idempotency)
 * against the state inside the batch transaction, so a conflicting append fails alone and a later
 * append in the same batch sees the earlier ones. better-sqlite3 is synchronous: the event loop
 * waits during the commit, which group commit keeps to one wait per turn.
 *
 * One process writes the file. Live subscriptions are woken in-process after each commit and read
 * by position; positions are rowids assigned in commit order by the single writer.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;

  private readonly db: Database.Database;
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly commitBatch: Database.Transaction<(batch: PendingAppend[]) => AppendOutcome[]>;
  private readonly appendInSavepoint: Database.Transaction<(pending: PendingAppend) => AppendOutcome>;
  private readonly importBatch: Database.Transaction<(events: readonly RecordedEvent[]) => ImportEventsResult>;
  private readonly readPageConsistently: Database.Transaction<
    (afterPosition: number, maxCount: number, streamPrefixes?: string[]) => SubscriptionPage
  >;
  private readonly prefixQueries = new Map<number, Database.Statement>();
  private readonly subscriptions = new LiveSubscriptions((afterPosition, maxCount, streamPrefixes) =>
    this.readPageConsistently(afterPosition, maxCount, streamPrefixes),
  );
  private pending: PendingAppend[] = [];
  private flushScheduled: NodeJS.Immediate | null = null;
  private closed = false;

  /** @param filename a file path, or ':memory:' for a throw-away database. */
  constructor(filename: string) {
    try {
      this.db = new Database(filename);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      // Readers in other processes (the verify tool) may briefly hold locks.
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(SCHEMA);
    } catch (error) {
      throw new EventStoreUnavailableError(`Cannot open the SQLite event store at ${filename}`, error);
    }
    this.statements = prepareStatements(this.db);
    this.appendInSavepoint = this.db.transaction((pending: PendingAppend) => this.appendNow(pending));
    this.commitBatch = this.db.transaction((batch: PendingAppend[]) =>
      batch.map((pending): AppendOutcome => {
        try {
          return this.appendInSavepoint(pending);
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
    this.importBatch = this.db.transaction((events: readonly RecordedEvent[]) => this.importNow(events));
    this.readPageConsistently = this.db.transaction(
      (afterPosition: number, maxCount: number, streamPrefixes?: string[]) => {
        const events = this.queryAll(afterPosition, maxCount, streamPrefixes);
        const head = (this.statements.headPosition.get() as { head: number }).head;
        const scannedThrough = events.length < maxCount ? head : events[events.length - 1].position;
        return { events, scannedThrough: Math.max(scannedThrough, afterPosition) };
      },
    );
  }

  append(stream: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreUnavailableError('The SQLite event store is closed'));
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ stream, events, options, resolve, reject });
      this.flushScheduled ??= setImmediate(() => this.flush());
    });
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = options.maxCount ?? NO_LIMIT;
    const rows = (
      options.direction === 'backwards'
        ? this.statements.readStreamBackwards.all(stream, options.fromRevision ?? Number.MAX_SAFE_INTEGER, maxCount)
        : this.statements.readStreamForwards.all(stream, options.fromRevision ?? 0, maxCount)
    ) as EventRow[];
    if (rows.length === 0 && !this.statements.streamHead.get(stream)) throw new StreamNotFoundError(stream);
    return rows.map(toRecordedEvent);
  }

  async streamRevision(stream: string): Promise<number> {
    const head = this.statements.streamHead.get(stream) as StreamRow | undefined;
    return head?.last_revision ?? -1;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.queryAll(options.afterPosition ?? 0, options.maxCount ?? NO_LIMIT, options.streamPrefixes);
  }

  async headPosition(): Promise<number> {
    return (this.statements.headPosition.get() as { head: number }).head;
  }

  async listStreams(): Promise<StreamInfo[]> {
    return (this.statements.listStreams.all() as StreamRow[]).map((row) => ({
      stream: row.stream,
      lastRevision: row.last_revision,
      lastHash: row.last_hash,
    }));
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
    if (this.flushScheduled) {
      clearImmediate(this.flushScheduled);
      this.flush();
    }
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
    if (this.flushScheduled) {
      clearImmediate(this.flushScheduled);
      this.flush();
    }
    await this.subscriptions.closeAll();
    this.db.close();
  }

  private flush(): void {
    this.flushScheduled = null;
    const batch = this.pending;
    this.pending = [];
    let outcomes: AppendOutcome[];
    try {
      // IMMEDIATE takes the write lock up front rather than failing to upgrade a read lock.
      outcomes = this.commitBatch.immediate(batch);
    } catch (error) {
      const failure = new EventStoreUnavailableError('The SQLite event store could not commit', error);
      batch.forEach((pending) => pending.reject(failure));
      return;
    }
    if (outcomes.some((outcome) => outcome.ok && outcome.wrote)) this.subscriptions.committed();
    outcomes.forEach((outcome, index) => {
      if (outcome.ok) batch[index].resolve(outcome.result);
      else batch[index].reject(outcome.error);
    });
  }

  /** One append inside the batch transaction; throwing rolls back its savepoint only. */
  private appendNow({ stream, events, options }: PendingAppend): AppendOutcome {
    const replay = detectIdempotentReplay(
      stream,
      events.map((event) => event.id),
      this.findStoredLocations(events),
    );
    if (replay) return { ok: true, result: replay, wrote: false };

    const head = this.statements.streamHead.get(stream) as StreamRow | undefined;
    const lastRevision = head?.last_revision ?? -1;
    assertExpectedRevision(stream, options.expectedRevision ?? 'any', lastRevision);
    if (events.length === 0) {
      return { ok: true, result: { nextExpectedRevision: lastRevision, position: head?.last_position ?? 0 }, wrote: false };
    }

    const sealed = sealEvents(
      stream,
      head ? { revision: head.last_revision, hash: head.last_hash } : EMPTY_STREAM_HEAD,
      events,
    );
    let position = 0;
    for (const event of sealed) {
      const payload = toStoredPayload(event.data);
      const inserted = this.statements.insertEvent.run(
        event.stream,
        event.revision,
        event.id,
        event.type,
        payload.isBinary ? 1 : 0,
        payload.content,
        JSON.stringify(event.metadata),
      );
      position = Number(inserted.lastInsertRowid);
    }
    const last = sealed[sealed.length - 1];
    this.statements.upsertStreamHead.run(stream, last.revision, last.metadata.hash, position);
    return { ok: true, result: { nextExpectedRevision: last.revision, position }, wrote: true };
  }

  /** One import batch inside its transaction: check everything, then write rows and heads. */
  private importNow(events: readonly RecordedEvent[]): ImportEventsResult {
    assertUniqueIds(events);
    const heads = new Map<string, ImportedStreamHead & { position: number }>();
    let lastPosition = (this.statements.headPosition.get() as { head: number }).head;
    for (const event of events) {
      if (this.statements.locateEvent.get(event.id)) {
        throw new ImportRejectedError(event.stream, event.revision, event.position, `event id ${event.id} is already stored`);
      }
      let head = heads.get(event.stream);
      if (!head) {
        const row = this.statements.streamHead.get(event.stream) as StreamRow | undefined;
        head = row ? { revision: row.last_revision, hash: row.last_hash, position: row.last_position } : undefined;
      }
      checkImportedEvent(event, head, lastPosition);
      heads.set(event.stream, { revision: event.revision, hash: event.metadata.hash, position: event.position });
      lastPosition = event.position;
    }
    for (const event of events) {
      const payload = toStoredPayload(event.data);
      this.statements.insertImported.run(
        event.position,
        event.stream,
        event.revision,
        event.id,
        event.type,
        payload.isBinary ? 1 : 0,
        payload.content,
        JSON.stringify(event.metadata),
      );
    }
    for (const [stream, head] of heads) {
      this.statements.upsertStreamHead.run(stream, head.revision, head.hash, head.position);
    }
    return { eventsWritten: events.length, position: lastPosition };
  }

  private findStoredLocations(events: readonly NewEvent[]): Map<string, StoredEventLocation> {
    const stored = new Map<string, StoredEventLocation>();
    for (const event of events) {
      const location = this.statements.locateEvent.get(event.id) as StoredEventLocation | undefined;
      if (location) stored.set(event.id, location);
    }
    return stored;
  }

  private queryAll(afterPosition: number, maxCount: number, streamPrefixes?: string[]): RecordedEvent[] {
    if (!streamPrefixes || streamPrefixes.length === 0) {
      return (this.statements.readAll.all(afterPosition, maxCount) as EventRow[]).map(toRecordedEvent);
    }
    const prefixArguments = streamPrefixes.flatMap((prefix) => [prefix.length, prefix]);
    return (
      this.prefixQuery(streamPrefixes.length).all(afterPosition, ...prefixArguments, maxCount) as EventRow[]
    ).map(toRecordedEvent);
  }

  /** substr() rather than LIKE: stream names may contain LIKE's wildcards. */
  private prefixQuery(prefixCount: number): Database.Statement {
    let statement = this.prefixQueries.get(prefixCount);
    if (!statement) {
      const anyPrefix = Array.from({ length: prefixCount }, () => 'substr(stream, 1, ?) = ?').join(' OR ');
      statement = this.db.prepare(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND (${anyPrefix}) ORDER BY position LIMIT ?`,
      );
      this.prefixQueries.set(prefixCount, statement);
    }
    return statement;
  }
}

function prepareStatements(db: Database.Database) {
  return {
    insertEvent: db.prepare(
      'INSERT INTO events (stream, revision, id, type, is_binary, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    // AUTOINCREMENT keeps sqlite_sequence at the largest position ever inserted, so later appends
    // continue after imported positions.
    insertImported: db.prepare(
      'INSERT INTO events (position, stream, revision, id, type, is_binary, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    upsertStreamHead: db.prepare(
      `INSERT INTO streams (stream, last_revision, last_hash, last_position) VALUES (?, ?, ?, ?)
       ON CONFLICT (stream) DO UPDATE SET
         last_revision = excluded.last_revision, last_hash = excluded.last_hash, last_position = excluded.last_position`,
    ),
    streamHead: db.prepare('SELECT stream, last_revision, last_hash, last_position FROM streams WHERE stream = ?'),
    locateEvent: db.prepare('SELECT id, stream, revision, position FROM events WHERE id = ?'),
    readStreamForwards: db.prepare(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`,
    ),
    readStreamBackwards: db.prepare(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
    ),
    readAll: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`),
    headPosition: db.prepare('SELECT COALESCE(MAX(position), 0) AS head FROM events'),
    listStreams: db.prepare('SELECT stream, last_revision, last_hash FROM streams ORDER BY stream'),
  };
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    stream: row.stream,
    revision: row.revision,
    position: row.position,
    type: row.type,
    data: fromStoredPayload(row.is_binary === 1, row.data),
    metadata: JSON.parse(row.metadata) as EventMetadata,
  };
}
