import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import type { AllStreamResolvedEvent } from '@kurrent/kurrentdb-client';
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
import { KurrentDbAppends } from './kurrentdb-append';
import type { KurrentDbClientLike } from './kurrentdb-client';
import { importIntoKurrentDb } from './kurrentdb-import';
import { assertValidNamespace, buildAllFilter, fromKurrentRecord, isVisibleStream, toReadPosition } from './kurrentdb-mapping';
import { KurrentDbReads } from './kurrentdb-reads';
import { AllSubscriptionStream, KurrentDbSubscription } from './kurrentdb-subscription';

export type { KurrentDbClientLike } from './kurrentdb-client';

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

/**
 * Event store on KurrentDB (`@kurrent/kurrentdb-client`), for several API nodes sharing a
 * replicated log (ARCHITECTURE §5). A facade over one file per concern: `kurrentdb-append.ts`
 * (appends and their retry after a lost race), `kurrentdb-reads.ts` (streams, `$all`, heads),
 * `kurrentdb-import.ts`, `kurrentdb-subscription.ts` (live delivery and resubscription) and
 * `kurrentdb-mapping.ts` (the pure mapping of names, payloads, positions and errors). KurrentDB
 * has no DDL: streams exist by being written. What the other adapters guarantee holds here too, except two
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
  private readonly reads: KurrentDbReads;
  private readonly appends: KurrentDbAppends;
  private readonly subscriptions = new Set<KurrentDbSubscription>();
  private closed = false;

  /**
   * @param connection a connection string (`kurrentdb://host:2113?tls=false`, several hosts for a
   *   cluster) — the client connects lazily, on the first call — or a client to use (not disposed
   *   by close()).
   */
  constructor(connection: string | KurrentDbClientLike, options: KurrentDbEventStoreOptions = {}) {
    this.namespace = options.namespace ?? '';
    assertValidNamespace(this.namespace);
    if (typeof connection === 'string') {
      this.client = KurrentDBClient.connectionString(connection);
      this.ownsClient = true;
    } else {
      this.client = connection;
      this.ownsClient = false;
    }
    this.reads = new KurrentDbReads(this.client, this.namespace);
    const maxAppendAttempts = Math.max(1, options.maxAppendAttempts ?? DEFAULT_MAX_APPEND_ATTEMPTS);
    this.appends = new KurrentDbAppends(this.client, this.namespace, this.reads, maxAppendAttempts);
  }

  async append(stream: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    this.assertOpen();
    return this.appends.append(stream, events, options.expectedRevision ?? 'any');
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.reads.readStream(stream, options);
  }

  async streamRevision(stream: string): Promise<number> {
    this.assertOpen();
    return this.reads.streamRevision(stream);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.reads.readAll(options);
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.reads.headPosition();
  }

  async listStreams(): Promise<StreamInfo[]> {
    this.assertOpen();
    return this.reads.listStreams();
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
        headPosition: () => this.reads.headPosition(streamPrefixes),
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
    return importIntoKurrentDb(this.client, this.namespace, this.reads, this.appends, events);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    if (this.ownsClient) await this.client.dispose().catch(() => undefined);
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('The KurrentDB event store is closed');
  }
}
