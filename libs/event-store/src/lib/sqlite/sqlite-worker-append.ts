import { EventStoreUnavailableError } from '../errors';
import type { AppendOptions, AppendResult, NewEvent } from '../event-store.port';
import { assertExpectedRevision } from '../append/expected-revision';
import { detectIdempotentReplay, StoredEventLocation } from '../append/idempotency';
import { EMPTY_STREAM_HEAD, sealEvents } from '../append/seal-events';
import { toStoredPayload } from '../stored-payload';
import type { SqliteAppends } from './sqlite-append';
import type { SqliteStatements, StreamRow } from './sqlite-schema';
import { SqliteWriterThread, WriterHead, WriterRow } from './sqlite-writer-thread';

interface PendingAppend {
  stream: string;
  events: NewEvent[];
  options: AppendOptions;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/** Most events one commit takes from the queue (at least one append), to bound a transaction's size. */
export const MAX_EVENTS_PER_SQLITE_COMMIT = 1_000;

/** A position known once the batch is written: the index of the batch row that will hold it. */
type Position = number | { row: number };

interface Head {
  revision: number;
  hash: string;
  position: Position;
}

/** Where an event id is stored, or will be once the batch is written. */
type BatchLocation = Omit<StoredEventLocation, 'position'> & { position: Position };

type Planned =
  | { ok: true; wrote: boolean; nextExpectedRevision: number; position: Position }
  | { ok: false; error: unknown };

/**
 * The SQLite store's appends for a FILE, by group commit with the write on a worker thread
 * (SqliteWriterThread), a pipeline of depth one and no timer:
 * - when no commit is in flight, an append starts one at once; appends arriving while a commit is
 *   in flight are queued, and the next commit takes all of them (up to MAX_EVENTS_PER_SQLITE_COMMIT
 *   events), whatever their streams: one transaction, one fsync, shared by every append that
 *   arrived meanwhile;
 * - the main thread PLANS the batch, exactly as the in-thread SqliteGroupCommit does inside its
 *   transaction: each append in queue order is checked (idempotent replay, then expected revision)
 *   against the committed state read on the main connection AS UPDATED by the earlier appends of
 *   the batch, and sealed (hash chain) after the head it sees; a failed check fails that append
 *   alone. This is safe because this process is the file's only writer and no other commit is in
 *   flight while a batch is planned, so the state read cannot change before the batch is written;
 * - the worker writes the rows and heads in ONE transaction off the event loop and replies with the
 *   positions; then each append settles, `committed` wakes the subscriptions (the main
 *   connection's next read transaction sees the commit, WAL), and the next batch starts.
 * A failed commit rejects every append of its batch with EventStoreUnavailableError, and nothing of
 * it is assumed written (the next batch re-reads the state from the file).
 */
export class SqliteWorkerGroupCommit implements SqliteAppends {
  private pending: PendingAppend[] = [];
  private draining: Promise<void> | null = null;
  /** Exclusive operations (imports) waiting for the commit in flight; no new batch starts meanwhile. */
  private exclusiveWaiting = 0;
  /** How many queued appends still commit before the waiting exclusive operations. */
  private appendsBeforeExclusive = 0;
  private commitCount = 0;

  /** @param committed called after a commit that wrote events (wakes the subscriptions). */
  constructor(
    private readonly statements: SqliteStatements,
    private readonly writer: SqliteWriterThread,
    private readonly committed: () => void,
  ) {}

  get commits(): number {
    return this.commitCount;
  }

  enqueue(stream: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ stream, events, options, resolve, reject });
      this.startDraining();
    });
  }

  /**
   * Runs `operation` (an import, on the main connection) when no commit is in flight, after the
   * appends queued before it; appends queued after it wait until it has run, so imports and appends
   * never interleave and a steady stream of appends cannot starve an import.
   */
  async exclusive<T>(operation: () => T): Promise<T> {
    this.exclusiveWaiting += 1;
    this.appendsBeforeExclusive = Math.max(this.appendsBeforeExclusive, this.pending.length);
    try {
      this.startDraining();
      while (this.draining) await this.draining;
      return operation();
    } finally {
      this.exclusiveWaiting -= 1;
      if (this.exclusiveWaiting === 0) {
        this.appendsBeforeExclusive = 0;
        this.startDraining();
      }
    }
  }

  /** Waits for the commit in flight, every queued append and any waiting import, then ends the writer thread. */
  async close(): Promise<void> {
    while (this.draining || this.pending.length > 0 || this.exclusiveWaiting > 0) {
      this.startDraining();
      await (this.draining ?? new Promise((resolve) => setImmediate(resolve)));
    }
    await this.writer.close();
  }

  private mayTakeBatch(): boolean {
    return this.pending.length > 0 && (this.exclusiveWaiting === 0 || this.appendsBeforeExclusive > 0);
  }

  private startDraining(): void {
    // drain() always awaits at least once when it may take a batch, so `draining` is set before it ends.
    if (this.draining || !this.mayTakeBatch()) return;
    this.draining = this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.mayTakeBatch()) {
        const batch = this.takeBatch();
        this.appendsBeforeExclusive = Math.max(0, this.appendsBeforeExclusive - batch.length);
        await this.commit(batch);
      }
    } finally {
      this.draining = null;
    }
  }

  /** The next batch: bounded in events, and never past the appends queued before a waiting import. */
  private takeBatch(): PendingAppend[] {
    const available = this.exclusiveWaiting > 0 ? this.appendsBeforeExclusive : this.pending.length;
    let events = 0;
    let count = 0;
    while (
      count < available &&
      (count === 0 || events + this.pending[count].events.length <= MAX_EVENTS_PER_SQLITE_COMMIT)
    ) {
      events += this.pending[count].events.length;
      count += 1;
    }
    return this.pending.splice(0, count);
  }

  private async commit(batch: PendingAppend[]): Promise<void> {
    const t0 = performance.now();
    const rows: WriterRow[] = [];
    const heads = new Map<string, Head>();
    const locations = new Map<string, BatchLocation>();
    const planned = batch.map((append): Planned => {
      try {
        return this.planAppend(append, locations, heads, rows);
      } catch (error) {
        return { ok: false, error };
      }
    });

    const t1 = performance.now();
    let positions: number[] = [];
    if (rows.length > 0) {
      const writtenHeads: WriterHead[] = [];
      for (const [stream, head] of heads) {
        if (typeof head.position !== 'number') writtenHeads.push([stream, head.revision, head.hash, head.position.row]);
      }
      const p = this.writer.commit(rows, writtenHeads);
      if (process.env['SQLW_DEBUG']) console.log('plan', batch.length, (t1 - t0).toFixed(1), (performance.now() - t1).toFixed(1));
      try {
        positions = await p;
      } catch (error) {
        const failure = new EventStoreUnavailableError('The SQLite event store could not commit', error);
        batch.forEach((pending) => pending.reject(failure));
        return;
      }
      this.commitCount += 1;
      this.committed();
    }
    const resolvePosition = (position: Position): number =>
      typeof position === 'number' ? position : positions[position.row];
    planned.forEach((plan, index) => {
      if (plan.ok) {
        batch[index].resolve({ nextExpectedRevision: plan.nextExpectedRevision, position: resolvePosition(plan.position) });
      } else {
        batch[index].reject(plan.error);
      }
    });
  }

  /**
   * Checks and seals one append against the committed state as updated by the batch so far, as
   * SqliteGroupCommit.appendNow does inside its transaction; on success adds its rows to the batch.
   */
  private planAppend(
    { stream, events, options }: PendingAppend,
    locations: Map<string, BatchLocation>,
    heads: Map<string, Head>,
    rows: WriterRow[],
  ): Planned {
    const ids = events.map((event) => event.id);
    const found = new Map<string, StoredEventLocation>();
    for (const id of ids) {
      const location = locations.get(id) ?? (this.statements.locateEvent.get(id) as StoredEventLocation | undefined);
      // The position is only reported back; a placeholder of 0 is replaced below.
      if (location) found.set(id, { ...location, position: typeof location.position === 'number' ? location.position : 0 });
    }
    const replay = detectIdempotentReplay(stream, ids, found);
    if (replay) {
      const last = ids[ids.length - 1];
      const position = locations.get(last)?.position ?? replay.position;
      return { ok: true, wrote: false, nextExpectedRevision: replay.nextExpectedRevision, position };
    }

    let head = heads.get(stream);
    if (!head) {
      const row = this.statements.streamHead.get(stream) as StreamRow | undefined;
      head = row ? { revision: row.last_revision, hash: row.last_hash, position: row.last_position } : undefined;
    }
    const lastRevision = head?.revision ?? -1;
    assertExpectedRevision(stream, options.expectedRevision ?? 'any', lastRevision);
    if (events.length === 0) {
      return { ok: true, wrote: false, nextExpectedRevision: lastRevision, position: head?.position ?? 0 };
    }

    const sealed = sealEvents(stream, head ? { revision: head.revision, hash: head.hash } : EMPTY_STREAM_HEAD, events);
    const sealedRows = sealed.map((event): WriterRow => {
      const payload = toStoredPayload(event.data);
      return [
        event.stream,
        event.revision,
        event.id,
        event.type,
        payload.isBinary ? 1 : 0,
        typeof payload.content === 'string' ? payload.content : exactBytes(payload.content),
        JSON.stringify(event.metadata),
      ];
    });
    // Everything that can throw (sealing, normalising payloads) is done: only now is the batch touched.
    const firstRow = rows.length;
    rows.push(...sealedRows);
    sealed.forEach((event, index) => {
      locations.set(event.id, { id: event.id, stream, revision: event.revision, position: { row: firstRow + index } });
    });
    const last = sealed[sealed.length - 1];
    const position = { row: rows.length - 1 };
    heads.set(stream, { revision: last.revision, hash: last.metadata.hash, position });
    return { ok: true, wrote: true, nextExpectedRevision: last.revision, position };
  }
}

/**
 * The bytes alone: posting a view to the worker copies its whole underlying buffer (a Buffer may
 * sit in a shared pool), so a view over part of a buffer is copied first.
 */
function exactBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}
