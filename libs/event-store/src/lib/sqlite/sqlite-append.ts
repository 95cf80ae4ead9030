import type Database from 'better-sqlite3';
import { EventStoreUnavailableError } from '../errors';
import type { AppendOptions, AppendResult, NewEvent } from '../event-store.port';
import { assertExpectedRevision } from '../append/expected-revision';
import { detectIdempotentReplay, StoredEventLocation } from '../append/idempotency';
import { EMPTY_STREAM_HEAD, sealEvents } from '../append/seal-events';
import { toStoredPayload } from '../stored-payload';
import type { SqliteStatements, StreamRow } from './sqlite-schema';

interface PendingAppend {
  stream: string;
  events: NewEvent[];
  options: AppendOptions;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

type AppendOutcome = { ok: true; result: AppendResult; wrote: boolean } | { ok: false; error: unknown };

/** The SQLite store's append path, in-thread (SqliteGroupCommit) or on a writer thread (SqliteWorkerGroupCommit). */
export interface SqliteAppends {
  enqueue(stream: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /** Runs `operation` (an import on the main connection) after the queued appends, with no commit in flight. */
  exclusive<T>(operation: () => T): Promise<T>;
  /** Settles every queued append and releases what the append path holds (not the main connection). */
  close(): Promise<void>;
  /** Commits that wrote events so far (diagnostics, tests). */
  readonly commits: number;
}

/**
 * The IN-THREAD append path (the default; always for ':memory:' databases, which a second
 * connection cannot share; `{ writer: 'thread' }` selects the writer thread instead), by GROUP
 * COMMIT: `enqueue` only queues; every append queued in the
 * same event-loop turn (setImmediate, so also appends from several socket messages read in one poll
 * phase) is committed by one transaction, one fsync, after which all their promises settle. Each
 * append runs in its own SAVEPOINT and is checked (expected revision, idempotency) against the state
 * inside the batch transaction, so a conflicting append fails alone and a later append in the same
 * batch sees the earlier ones. better-sqlite3 is synchronous: the event loop waits during the
 * commit (fsync included), which group commit keeps to one wait per turn (see
 * SqliteEventStoreOptions.writer for why the writer thread is not the default).
 */
export class SqliteGroupCommit implements SqliteAppends {
  private readonly commitBatch: Database.Transaction<(batch: PendingAppend[]) => AppendOutcome[]>;
  private pending: PendingAppend[] = [];
  private flushScheduled: NodeJS.Immediate | null = null;
  private commitCount = 0;

  /** @param committed called after a commit that wrote events (wakes the subscriptions). */
  constructor(
    db: Database.Database,
    private readonly statements: SqliteStatements,
    private readonly committed: () => void,
  ) {
    const appendInSavepoint = db.transaction((pending: PendingAppend) => this.appendNow(pending));
    this.commitBatch = db.transaction((batch: PendingAppend[]) =>
      batch.map((pending): AppendOutcome => {
        try {
          return appendInSavepoint(pending);
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
  }

  enqueue(stream: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ stream, events, options, resolve, reject });
      this.flushScheduled ??= setImmediate(() => this.flush());
    });
  }

  get commits(): number {
    return this.commitCount;
  }

  async exclusive<T>(operation: () => T): Promise<T> {
    // Appends queued before the import commit first, so that the import sees them.
    this.flushNow();
    return operation();
  }

  async close(): Promise<void> {
    this.flushNow();
  }

  /** Commits what is queued now rather than at the end of the turn (before an import, on close). */
  flushNow(): void {
    if (!this.flushScheduled) return;
    clearImmediate(this.flushScheduled);
    this.flush();
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
    if (outcomes.some((outcome) => outcome.ok && outcome.wrote)) {
      this.commitCount += 1;
      this.committed();
    }
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

  private findStoredLocations(events: readonly NewEvent[]): Map<string, StoredEventLocation> {
    const stored = new Map<string, StoredEventLocation>();
    for (const event of events) {
      const location = this.statements.locateEvent.get(event.id) as StoredEventLocation | undefined;
      if (location) stored.set(event.id, location);
    }
    return stored;
  }
}
