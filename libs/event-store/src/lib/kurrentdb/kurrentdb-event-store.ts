import { BACKWARDS, END, FORWARDS, KurrentDBClient, START, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import type { AllStreamResolvedEvent, ReadPosition, ReadRevision, ResolvedEvent } from '@kurrent/kurrentdb-client';
import { EventStoreUnavailableError, StreamNotFoundError, WrongExpectedRevisionError } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventHandler,
  EventStore,
  ExpectedRevision,
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
import { assertUniqueIds, checkImportedEvent, ImportedStreamHead, ImportRejectedError } from '../transfer/import-checks';
import {
  assertValidNamespace,
  buildAllFilter,
  fromKurrentRecord,
  isKurrentStreamNotFound,
  isVisibleStream,
  mapKurrentDbError,
  toAppendStreamState,
  toGlobalPosition,
  toKurrentEventData,
  toReadPosition,
} from './kurrentdb-mapping';
import { AllSubscriptionStream, KurrentDbSubscription } from './kurrentdb-subscription';

/** The part of the KurrentDB client this adapter uses (tests substitute an in-process model). */
export type KurrentDbClientLike = Pick<
  KurrentDBClient,
  'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'
>;

export interface KurrentDbEventStoreOptions {
  /**
   * Prefix of every stream this store writes and the only streams it reads, so that independent
   * stores can share one KurrentDB (each contract test gets a fresh one). Default '' (none).
   */
  namespace?: string;
  /**
   * How often an append with expected revision 'any' or 'stream_exists' is retried when another
   * writer appends to the same stream between our read of its head and our write. Default 50.
   */
  maxAppendAttempts?: number;
}

const DEFAULT_MAX_APPEND_ATTEMPTS = 50;
/** Events per backwards read once the newest event the filter let through was not visible (rare). */
const HEAD_SCAN_PAGE_SIZE = 32;

/**
 * Event store on KurrentDB (`@kurrent/kurrentdb-client`), for several API nodes sharing a
 * replicated log (ARCHITECTURE §5). What the other adapters guarantee holds here too, except two
 * things KurrentDB cannot do, marked LIMITS below (id lookups outside the stream's tail, and keeping
 * imported positions — see importEvents):
 *
 * Appends and the hash chain. Each event's hash covers its stream revision, so the adapter must
 * know the exact revision it appends at: it reads the stream's last event(s) (revision and hash of
 * the head), checks idempotency and the caller's expected revision against them, seals the events
 * with `sealEvents` (the same metadata and hashes as every adapter), and appends with KurrentDB's
 * expected state set to exactly that head (NO_STREAM or the revision). If another writer got in
 * between, KurrentDB refuses with WrongExpectedVersionError and nothing is written, so a chain can
 * never fork: for an exact expected revision (or 'no_stream') that is the caller's
 * WrongExpectedRevisionError; for 'any' / 'stream_exists' — still satisfiable — the append starts
 * over from a fresh head (bounded by `maxAppendAttempts`).
 *
 * Payloads. Bytes (Yjs updates, checkpoints) are application/octet-stream events, JSON payloads
 * application/json events; metadata is stored as JSON. Reads return bytes as plain Uint8Arrays.
 *
 * Idempotency by event id (NewEvent.id), mapped onto the port's rule with `detectIdempotentReplay`:
 * the ids are looked up in the events an append reads anyway — the stream's last N events (N = the
 * batch size) — and, when the caller's expected revision is behind the head (the retry of an
 * append whose acknowledgement was lost), in the N events right after that expected revision, which
 * is exactly where KurrentDB's own idempotency check looks. A full replay returns the original
 * result; a partial overlap or another order is IdempotencyConflictError. LIMITS, unlike the SQL
 * adapters which index every id: an id stored elsewhere in the stream, or in another stream, is not
 * found (KurrentDB has no index by event id). The application always appends with an exact expected
 * revision, for which the check is complete.
 *
 * Global positions are `$all` commit positions mapped to numbers (see `toGlobalPosition`: strictly
 * increasing, not dense, exact up to 2^53). `readAll`, `headPosition`, `listStreams` and `subscribe`
 * read `$all` with a server-side stream-name filter that excludes KurrentDB's `$` system streams
 * (and restricts to the namespace and any stream prefixes).
 *
 * `listStreams` has no cheap equivalent in KurrentDB: it reads the whole of `$all` (every event,
 * payloads included) and keeps each stream's last event — O(size of the log), for verify and audits,
 * never for a request path. The `$streams` system projection would avoid reading payloads, but it
 * needs projections running and lags behind appends, so it could miss a just-created stream.
 *
 * Errors: unreachable node, deadline, leader change → EventStoreUnavailableError (the API answers 503
 * with Retry-After); subscriptions retry those with backoff.
 */
export class KurrentDbEventStore implements EventStore {
  readonly kind = 'kurrentdb' as const;

  private readonly client: KurrentDbClientLike;
  private readonly ownsClient: boolean;
  private readonly namespace: string;
  private readonly maxAppendAttempts: number;
  private readonly subscriptions = new Set<KurrentDbSubscription>();
  /** Whether the position the server reports for a single-event append is that event's $all position (null: not checked yet). */
  private reportedPositionsMatch: boolean | null = null;
  private closed = false;

  /**
   * @param connection a connection string (`kurrentdb://host:2113?tls=false`, several hosts for a
   *   cluster) — the client connects lazily, on the first call — or a client to use (not disposed
   *   by close()).
   */
  constructor(connection: string | KurrentDbClientLike, options: KurrentDbEventStoreOptions = {}) {
    this.namespace = options.namespace ?? '';
    assertValidNamespace(this.namespace);
    this.maxAppendAttempts = Math.max(1, options.maxAppendAttempts ?? DEFAULT_MAX_APPEND_ATTEMPTS);
    if (typeof connection === 'string') {
      this.client = KurrentDBClient.connectionString(connection);
      this.ownsClient = true;
    } else {
      this.client = connection;
      this.ownsClient = false;
    }
  }

  async append(stream: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    this.assertOpen();
    const expected = options.expectedRevision ?? 'any';
    const retriesOnRace = expected === 'any' || expected === 'stream_exists';
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.appendOnce(stream, events, expected);
      } catch (error) {
        const raced = error instanceof LostAppendRace;
        if (raced && retriesOnRace && attempt < this.maxAppendAttempts) {
          await delay(Math.random() * Math.min(2 * attempt, 20));
          continue;
        }
        throw raced ? new WrongExpectedRevisionError(stream, expected, error.actualRevision) : error;
      }
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const maxCount = options.maxCount;
    if (maxCount !== undefined && maxCount <= 0) {
      if ((await this.streamRevision(stream)) === -1) throw new StreamNotFoundError(stream);
      return [];
    }
    let fromRevision: ReadRevision;
    if (!backwards) {
      fromRevision = options.fromRevision === undefined || options.fromRevision <= 0 ? START : BigInt(options.fromRevision);
    } else if (options.fromRevision === undefined) {
      fromRevision = END;
    } else {
      // KurrentDB reads backwards from a revision past the end as an empty range; the port (like
      // SQL's "revision <= n") starts at the last event instead.
      const last = await this.streamRevision(stream);
      if (last === -1) throw new StreamNotFoundError(stream);
      if (options.fromRevision < 0) return [];
      fromRevision = options.fromRevision >= last ? END : BigInt(options.fromRevision);
    }
    const events = await this.readStreamEvents(
      stream,
      { direction: backwards ? BACKWARDS : FORWARDS, fromRevision, maxCount },
      `reading ${stream}`,
    );
    if (events === null) throw new StreamNotFoundError(stream);
    return events;
  }

  async streamRevision(stream: string): Promise<number> {
    this.assertOpen();
    const [last] = (await this.readTail(stream, 1, `reading the head of ${stream}`)) ?? [];
    return last?.revision ?? -1;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = options.maxCount;
    const events: RecordedEvent[] = [];
    if (limit !== undefined && limit <= 0) return events;
    const filter = buildAllFilter(this.namespace, options.streamPrefixes);
    let cursor = options.afterPosition ?? 0;
    for (;;) {
      // One more than needed: reading forwards from a position includes the event at it.
      const requested = limit === undefined ? undefined : limit - events.length + 1;
      let received = 0;
      let lastSeen = cursor;
      try {
        for await (const resolved of this.client.readAll({
          direction: FORWARDS,
          fromPosition: toReadPosition(cursor),
          maxCount: requested,
          filter,
        })) {
          received += 1;
          const record = resolved.event;
          if (!record) continue;
          const position = toGlobalPosition(record.position);
          if (position <= cursor) continue;
          lastSeen = position;
          if (!isVisibleStream(record.streamId, this.namespace, options.streamPrefixes)) continue;
          events.push(fromKurrentRecord(record, this.namespace));
          if (limit !== undefined && events.length >= limit) return events;
        }
      } catch (error) {
        throw mapKurrentDbError(error, { whileDoing: 'reading all events' });
      }
      // Fewer than requested: the end of $all. Otherwise the client-side checks dropped some of a
      // full page, so read on from where it ended.
      if (requested === undefined || received < requested || lastSeen === cursor) return events;
      cursor = lastSeen;
    }
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.filteredHeadPosition();
  }

  async listStreams(): Promise<StreamInfo[]> {
    this.assertOpen();
    const heads = new Map<string, StreamInfo>();
    try {
      for await (const resolved of this.client.readAll({
        direction: FORWARDS,
        fromPosition: START,
        filter: buildAllFilter(this.namespace),
      })) {
        const record = resolved.event;
        if (!record || !isVisibleStream(record.streamId, this.namespace)) continue;
        const stream = record.streamId.slice(this.namespace.length);
        const revision = Number(record.revision);
        const known = heads.get(stream);
        if (known && known.lastRevision >= revision) continue;
        const hash = (record.metadata as { hash?: unknown } | undefined)?.hash;
        heads.set(stream, { stream, lastRevision: revision, lastHash: typeof hash === 'string' ? hash : '' });
      }
    } catch (error) {
      throw mapKurrentDbError(error, { whileDoing: 'listing streams' });
    }
    return [...heads.values()].sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
  }

  subscribe(
    options: SubscribeOptions,
    handler: EventHandler,
    onError?: (error: unknown) => void,
  ): Subscription {
    this.assertOpen();
    const streamPrefixes = options.streamPrefixes;
    const filter = buildAllFilter(this.namespace, streamPrefixes);
    const subscription = new KurrentDbSubscription(
      {
        open: (afterPosition) => {
          if (this.closed) throw new EventStoreUnavailableError('The KurrentDB event store is closed');
          return this.client.subscribeToAll({ fromPosition: toReadPosition(afterPosition), filter }) as AllSubscriptionStream;
        },
        toRecordedEvent: (resolved: AllStreamResolvedEvent) => {
          const record = resolved.event;
          if (!record || !isVisibleStream(record.streamId, this.namespace, streamPrefixes)) return null;
          return fromKurrentRecord(record, this.namespace);
        },
        headPosition: () => this.filteredHeadPosition(streamPrefixes),
      },
      options.afterPosition ?? 0,
      handler,
      onError,
      (closed) => this.subscriptions.delete(closed),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /**
   * Writes events exactly as another store recorded them (`npm run import`): ids, types, payloads
   * and whole metadata byte for byte — nothing re-sealed — checked like every adapter checks
   * (`checkImportedEvent`: revision continues the stream, prevHash links, hash recomputes).
   *
   * What differs from the SQL adapters, because KurrentDB allows no more:
   * - POSITIONS ARE NOT KEPT. KurrentDB assigns commit positions; the events keep their order (each
   *   is written after the previous one) and get new positions, strictly increasing in the same
   *   order. Checkpoints taken against the source store do not carry over. The given positions are
   *   only required to increase within the batch (they cannot be compared with KurrentDB's).
   * - NOT ATOMIC ACROSS STREAMS. Every check runs before anything is written, so a rejected batch
   *   writes nothing; but the batch is then written as one append per run of consecutive events of
   *   the same stream (each atomic, at the exact expected revision). If KurrentDB fails or another
   *   writer appends to one of the streams part-way, the runs before it stay written and the error
   *   says so; the chain checks make re-running the import from that point safe. Import into an
   *   idle store.
   * - Ids are checked within the batch and, through the revision and prevHash checks, against the
   *   streams written to; KurrentDB cannot look an id up in other streams.
   */
  async importEvents(events: readonly RecordedEvent[]): Promise<ImportEventsResult> {
    this.assertOpen();
    assertUniqueIds(events);
    const heads = new Map<string, ImportedStreamHead | undefined>();
    let lastPosition = 0;
    for (const event of events) {
      if (!heads.has(event.stream)) {
        const [last] = (await this.readTail(event.stream, 1, `importing into ${event.stream}`, true)) ?? [];
        heads.set(event.stream, last ? { revision: last.revision, hash: last.metadata.hash } : undefined);
      }
      checkImportedEvent(event, heads.get(event.stream), lastPosition);
      heads.set(event.stream, { revision: event.revision, hash: event.metadata.hash });
      lastPosition = event.position;
    }

    let eventsWritten = 0;
    let position = 0;
    for (const run of consecutiveRuns(events)) {
      const first = run[0];
      const whileDoing = `importing into ${first.stream}`;
      try {
        const written = await this.client.appendToStream(this.physical(first.stream), run.map(toKurrentEventData), {
          streamState: toAppendStreamState(first.revision - 1),
        });
        if (!written.success) {
          throw new WrongExpectedVersionError(undefined, {
            streamName: first.stream,
            expected: toAppendStreamState(first.revision - 1),
            current: written.nextExpectedRevision < 0n ? 'no_stream' : written.nextExpectedRevision,
          });
        }
        position = await this.positionOfWrite(first.stream, run.length, written, whileDoing);
      } catch (error) {
        const mapped = mapKurrentDbError(error, { whileDoing, stream: first.stream, expected: first.revision - 1 });
        const partly = eventsWritten > 0 ? ` (${eventsWritten} earlier events of this batch were written)` : '';
        if (mapped instanceof WrongExpectedRevisionError) {
          throw new ImportRejectedError(first.stream, first.revision, first.position, `the stream changed during the import${partly}`);
        }
        if (partly && mapped instanceof Error) mapped.message += partly;
        throw mapped;
      }
      eventsWritten += run.length;
    }
    return { eventsWritten, position: eventsWritten > 0 ? position : await this.filteredHeadPosition() };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    if (this.ownsClient) await this.client.dispose().catch(() => undefined);
  }

  /**
   * One attempt: read the head (and what idempotency needs), check, seal, append at exactly that
   * head. Throws LostAppendRace when another writer moved the head in between.
   */
  private async appendOnce(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const whileDoing = `appending to ${stream}`;
    const ids = events.map((event) => event.id);
    const tail = (await this.readTail(stream, Math.max(events.length, 1), whileDoing, true)) ?? [];
    const head = tail[0];
    const headRevision = head?.revision ?? -1;

    const wanted = new Set(ids);
    const stored = new Map<string, StoredEventLocation>();
    const note = (event: RecordedEvent): void => {
      if (wanted.has(event.id)) {
        stored.set(event.id, { id: event.id, stream: event.stream, revision: event.revision, position: event.position });
      }
    };
    tail.forEach(note);
    const retriedAfter = expected === 'no_stream' ? -1 : typeof expected === 'number' ? expected : null;
    const oldestInTail = headRevision - tail.length + 1;
    if (events.length > 0 && retriedAfter !== null && retriedAfter < headRevision && retriedAfter + 1 < oldestInTail) {
      const original = await this.readStreamEvents(
        stream,
        { direction: FORWARDS, fromRevision: BigInt(retriedAfter + 1), maxCount: events.length },
        whileDoing,
      );
      original?.forEach(note);
    }
    const replay = detectIdempotentReplay(stream, ids, stored);
    if (replay) return replay;

    assertExpectedRevision(stream, expected, headRevision);
    if (events.length === 0) return { nextExpectedRevision: headRevision, position: head?.position ?? 0 };

    const sealed = sealEvents(stream, head ? { revision: head.revision, hash: head.metadata.hash } : EMPTY_STREAM_HEAD, events);
    let written: Awaited<ReturnType<KurrentDbClientLike['appendToStream']>>;
    try {
      written = await this.client.appendToStream(this.physical(stream), sealed.map(toKurrentEventData), {
        streamState: toAppendStreamState(headRevision),
      });
    } catch (error) {
      const mapped = mapKurrentDbError(error, { whileDoing, stream, expected });
      if (mapped instanceof WrongExpectedRevisionError) throw new LostAppendRace(mapped.actual);
      throw mapped;
    }
    // With `throwOnAppendFailure=false` in the connection string the client reports a wrong
    // expected version as an unsuccessful result instead of throwing.
    if (!written.success) throw new LostAppendRace(Number(written.nextExpectedRevision));
    const nextExpectedRevision = Number(written.nextExpectedRevision);
    return { nextExpectedRevision, position: await this.positionOfWrite(stream, sealed.length, written, whileDoing) };
  }

  /**
   * The global position of the last event an append wrote: what subscribers will see it at, which
   * is what callers wait for (read models, `waitFor(position)`). For a batch the server reports one
   * position for the whole write, so the last event is read back. For a single event the server's
   * answer should be that event's own log position (commit = prepare); the first such answer is
   * checked against a read-back, and only if it matches are later ones trusted without the extra
   * round trip (saving it on the keystroke path); if it does not, every append reads back.
   */
  private async positionOfWrite(
    stream: string,
    count: number,
    written: Awaited<ReturnType<KurrentDbClientLike['appendToStream']>>,
    whileDoing: string,
  ): Promise<number> {
    const reported = count === 1 && written.position ? toGlobalPosition(written.position) : null;
    if (reported !== null && this.reportedPositionsMatch === true) return reported;
    const [last] =
      (await this.readStreamEvents(
        stream,
        { direction: FORWARDS, fromRevision: written.nextExpectedRevision, maxCount: 1, requiresLeader: true },
        whileDoing,
      )) ?? [];
    if (!last) throw new Error(`KurrentDB acknowledged an append to ${stream} whose last event cannot be read back`);
    if (reported !== null && this.reportedPositionsMatch === null) this.reportedPositionsMatch = reported === last.position;
    return last.position;
  }

  /** The stream's last `count` events, newest first; null when the stream does not exist. */
  private readTail(stream: string, count: number, whileDoing: string, requiresLeader = false): Promise<RecordedEvent[] | null> {
    return this.readStreamEvents(stream, { direction: BACKWARDS, fromRevision: END, maxCount: count, requiresLeader }, whileDoing);
  }

  /** Reads a stream through the client; null when it does not exist. */
  private async readStreamEvents(
    stream: string,
    options: { direction: typeof FORWARDS | typeof BACKWARDS; fromRevision: ReadRevision; maxCount?: number; requiresLeader?: boolean },
    whileDoing: string,
  ): Promise<RecordedEvent[] | null> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(this.physical(stream), options) as AsyncIterable<ResolvedEvent>) {
        if (resolved.event) events.push(fromKurrentRecord(resolved.event, this.namespace));
      }
    } catch (error) {
      if (isKurrentStreamNotFound(error)) return null;
      throw mapKurrentDbError(error, { whileDoing });
    }
    return events;
  }

  /**
   * Position of the last event visible through the filter (0 when there is none): `$all` read
   * backwards with the server-side filter, page by page only in the odd case where the client-side
   * check rejects what the filter let through (a stream prefix starting with `$`).
   */
  private async filteredHeadPosition(streamPrefixes?: string[]): Promise<number> {
    const filter = buildAllFilter(this.namespace, streamPrefixes);
    let before: ReadPosition = END;
    let oldestSeen = Number.POSITIVE_INFINITY;
    let pageSize = 1;
    try {
      for (;;) {
        let progressed = false;
        let received = 0;
        for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: before, maxCount: pageSize, filter })) {
          received += 1;
          const record = resolved.event;
          if (!record) continue;
          const position = toGlobalPosition(record.position);
          if (position >= oldestSeen) continue;
          if (isVisibleStream(record.streamId, this.namespace, streamPrefixes)) return position;
          oldestSeen = position;
          before = record.position as ReadPosition;
          progressed = true;
        }
        if (received < pageSize || !progressed) return 0;
        pageSize = HEAD_SCAN_PAGE_SIZE;
      }
    } catch (error) {
      throw mapKurrentDbError(error, { whileDoing: 'reading the head position' });
    }
  }

  private physical(stream: string): string {
    return this.namespace + stream;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('The KurrentDB event store is closed');
  }
}

/** Another writer appended between our read of the head and our write (KurrentDB refused it). */
class LostAppendRace extends Error {
  constructor(readonly actualRevision: number) {
    super(`the stream moved to revision ${actualRevision} during the append`);
  }
}

/** The batch cut where the stream changes: each run is one append. */
function consecutiveRuns(events: readonly RecordedEvent[]): RecordedEvent[][] {
  const runs: RecordedEvent[][] = [];
  for (const event of events) {
    const current = runs[runs.length - 1];
    if (current && current[0].stream === event.stream) current.push(event);
    else runs.push([event]);
  }
  return runs;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
