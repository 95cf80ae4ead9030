import { EventStoreUnavailableError } from '../errors';
import type { AppendOptions, AppendResult, NewEvent } from '../event-store.port';
import { assertExpectedRevision } from '../append/expected-revision';
import { detectIdempotentReplay, StoredEventLocation } from '../append/idempotency';
import { EMPTY_STREAM_HEAD, sealEvents } from '../append/seal-events';
import { toStoredPayload } from '../stored-payload';
import type { SqliteAppends } from './sqlite-append';
import type { SqliteStatements, StreamRow } from './sqlite-schema';
import { SqliteWriterThread, WriterHead, WriterRow } from './sqlite-writer-thread';

/** Most events one commit takes from the queue (at least one append), to bound a transaction's size. */
export const MAX_EVENTS_PER_SQLITE_COMMIT = 1_000;

/** A row not yet committed; its position is filled in when its batch commits. */
interface RowRef {
  position?: number;
}

/** A committed position, or the row that will hold it. */
type Position = number | RowRef;

interface Head {
  revision: number;
  hash: string;
  position: Position;
}

/** Where an event id is stored, or will be once its batch is written. */
type Location = Omit<StoredEventLocation, 'position'> & { position: Position };

type Plan =
  | { ok: true; nextExpectedRevision: number; position: Position; rows: WriterRow[]; refs: RowRef[]; head?: Head }
  | { ok: false; error: unknown };

interface PendingAppend {
  stream: string;
  events: NewEvent[];
  options: AppendOptions;
  plan: Plan;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/**
 * The SQLite store's appends for a FILE, by group commit with the write on a worker thread
 * (SqliteWriterThread), a pipeline of depth one and no timer:
 * - when no commit is in flight, an append starts one at once; appends arriving while a commit is
 *   in flight are queued, and the next commit takes all of them (up to MAX_EVENTS_PER_SQLITE_COMMIT
 *   events), whatever their streams: one transaction, one fsync, shared by every append that
 *   arrived meanwhile;
 * - the main thread PLANS each append when it arrives, exactly as the in-thread SqliteGroupCommit
 *   does inside its transaction: idempotent replay, then expected revision, checked against the
 *   committed state (read on the main connection) as updated by every append queued or in flight
 *   before it (`heads`, `locations`), then sealed (hash chain) after the head it sees; a failed
 *   check fails that append alone. Planning on arrival spreads the hashing over the turns in which
 *   the appends arrive, rather than doing a whole batch's in one turn. It is safe because this
 *   process is the file's only writer, so the committed state changes only by these commits;
 * - the worker writes a batch's rows and heads in ONE transaction off the event loop and replies
 *   with the positions; then each append of the batch settles in order, `committed` wakes the
 *   subscriptions (the main connection's next read sees the commit, WAL), and the next batch
 *   starts.
 * A failed commit rejects every append of its batch with EventStoreUnavailableError; nothing of it
 * is assumed written: the appends still queued are planned again from the committed state.
 */
export class SqliteWorkerGroupCommit implements SqliteAppends {
  private pending: PendingAppend[] = [];
  /** The state after every queued or in-flight append, where it differs from the committed one. */
  private heads = new Map<string, Head>();
  private locations = new Map<string, Location>();
  private draining: Promise<void> | null = null;
  /** Exclusive operations (imports) waiting for the commit in flight. */
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
      const append = { stream, events, options, resolve, reject } as PendingAppend;
      append.plan = this.plan(append);
      this.pending.push(append);
      this.startDraining();
    });
  }

  /**
   * Runs `operation` (an import, on the main connection) when no commit is in flight, after the
   * appends queued before it; appends queued after it wait until it has run (and are planned again
   * against what it wrote), so imports and appends never interleave and a steady stream of appends
   * cannot starve an import.
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
        this.replanQueued();
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
    while (count < available && (count === 0 || events + this.pending[count].events.length <= MAX_EVENTS_PER_SQLITE_COMMIT)) {
      events += this.pending[count].events.length;
      count += 1;
    }
    return this.pending.splice(0, count);
  }

  private async commit(batch: PendingAppend[]): Promise<void> {
    const rows: WriterRow[] = [];
    const refs: RowRef[] = [];
    const lastHeads = new Map<string, WriterHead>();
    for (const { stream, plan } of batch) {
      if (!plan.ok || plan.rows.length === 0) continue;
      rows.push(...plan.rows);
      refs.push(...plan.refs);
      const head = plan.head as Head;
      lastHeads.set(stream, [stream, head.revision, head.hash, rows.length - 1]);
    }

    if (rows.length > 0) {
      let positions: number[];
      try {
        positions = await this.writer.commit(rows, [...lastHeads.values()]);
      } catch (error) {
        const failure = new EventStoreUnavailableError('The SQLite event store could not commit', error);
        batch.forEach((append) => append.reject(failure));
        // The queued appends may have been planned on top of this batch: plan them again.
        this.replanQueued();
        return;
      }
      refs.forEach((ref, index) => (ref.position = positions[index]));
      this.forgetCommitted(batch);
      this.commitCount += 1;
      this.committed();
    }
    for (const { plan, resolve, reject } of batch) {
      if (plan.ok) resolve({ nextExpectedRevision: plan.nextExpectedRevision, position: positionOf(plan.position) });
      else reject(plan.error);
    }
  }

  /** Drops the overlay entries the committed batch made (the file now answers for them), unless overtaken. */
  private forgetCommitted(batch: readonly PendingAppend[]): void {
    for (const { stream, events, plan } of batch) {
      if (!plan.ok || !plan.head) continue;
      if (this.heads.get(stream) === plan.head) this.heads.delete(stream);
      for (const event of events) {
        const location = this.locations.get(event.id);
        if (location && typeof location.position !== 'number' && location.position.position !== undefined) {
          this.locations.delete(event.id);
        }
      }
    }
  }

  /** Plans every queued append again, in order, from the committed state (nothing is in flight). */
  private replanQueued(): void {
    this.heads.clear();
    this.locations.clear();
    for (const append of this.pending) append.plan = this.plan(append);
  }

  /**
   * Checks and seals one append against the state after the appends before it, as
   * SqliteGroupCommit.appendNow does inside its transaction; on success records it in that state.
   */
  private plan({ stream, events, options }: Pick<PendingAppend, 'stream' | 'events' | 'options'>): Plan {
    try {
      const ids = events.map((event) => event.id);
      const found = new Map<string, StoredEventLocation>();
      const foundPositions = new Map<string, Position>();
      for (const id of ids) {
        const location =
          this.locations.get(id) ?? (this.statements.locateEvent.get(id) as StoredEventLocation | undefined);
        if (!location) continue;
        // The position is only reported back; a placeholder of 0 stands for one not yet known.
        found.set(id, { ...location, position: typeof location.position === 'number' ? location.position : 0 });
        foundPositions.set(id, location.position);
      }
      const replay = detectIdempotentReplay(stream, ids, found);
      if (replay) {
        const position = foundPositions.get(ids[ids.length - 1]) as Position;
        return { ok: true, nextExpectedRevision: replay.nextExpectedRevision, position, rows: [], refs: [] };
      }

      let head = this.heads.get(stream);
      if (!head) {
        const row = this.statements.streamHead.get(stream) as StreamRow | undefined;
        head = row ? { revision: row.last_revision, hash: row.last_hash, position: row.last_position } : undefined;
      }
      const lastRevision = head?.revision ?? -1;
      assertExpectedRevision(stream, options.expectedRevision ?? 'any', lastRevision);
      if (events.length === 0) {
        return { ok: true, nextExpectedRevision: lastRevision, position: head?.position ?? 0, rows: [], refs: [] };
      }

      const sealed = sealEvents(stream, head ? { revision: head.revision, hash: head.hash } : EMPTY_STREAM_HEAD, events);
      const rows = sealed.map((event): WriterRow => {
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
      // Everything that can throw (sealing, normalising payloads) is done: only now is the state touched.
      const refs = sealed.map((): RowRef => ({}));
      sealed.forEach((event, index) => {
        this.locations.set(event.id, { id: event.id, stream, revision: event.revision, position: refs[index] });
      });
      const last = sealed[sealed.length - 1];
      const position = refs[refs.length - 1];
      const newHead: Head = { revision: last.revision, hash: last.metadata.hash, position };
      this.heads.set(stream, newHead);
      return { ok: true, nextExpectedRevision: last.revision, position, rows, refs, head: newHead };
    } catch (error) {
      return { ok: false, error };
    }
  }
}

/** A position once its row is committed (always so when an append settles: its batch or an earlier one wrote it). */
function positionOf(position: Position): number {
  return typeof position === 'number' ? position : (position.position as number);
}

/**
 * The bytes alone: posting a view to the worker copies its whole underlying buffer (a Buffer may
 * sit in a shared pool), so a view over part of a buffer is copied first.
 */
function exactBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}
