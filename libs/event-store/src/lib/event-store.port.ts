/**
 * The event store port. Every adapter (SQLite, PostgreSQL, in-memory, KurrentDB) implements it and
 * passes the one contract suite in `src/testing/event-store.contract.ts`.
 *
 * Conventions (those of KurrentDB, so that adapter stays thin):
 * - a stream revision is the 0-based index of an event in its stream;
 * - a global position is a positive integer, strictly increasing in commit order across all streams;
 * - expected revision `n` means "the last event of the stream has revision n".
 */

export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/** A payload is JSON (domain events) or raw bytes (Yjs updates, checkpoints; read back as a plain Uint8Array). */
export type EventData = JsonValue | Uint8Array;

/** Metadata the caller supplies; the store completes it with eventId, prevHash and hash. */
export interface EventMetadataInput {
  /** The authenticated user who caused the event ('system' for seeding and tools). */
  userId: string;
  /** ISO-8601 time of the command; the store fills it in when absent. */
  at?: string;
  correlationId?: string;
  causationId?: string;
  /** Further keys (e.g. Yjs clientId) are allowed and hashed with the rest. */
  [key: string]: string | number | boolean | undefined;
}

export interface EventMetadata extends EventMetadataInput {
  eventId: string;
  at: string;
  prevHash: string;
  hash: string;
}

export interface NewEvent<TType extends string = string, TData extends EventData = EventData> {
  /**
   * UUID, unique across the whole store. Re-appending ids the stream already holds, as a run at
   * consecutive revisions in the same order, is idempotent: nothing new is stored and the original
   * result is returned. Any other reuse (partial overlap, other order, other stream) throws
   * IdempotencyConflictError.
   */
  id: string;
  type: TType;
  data: TData;
  metadata: EventMetadataInput;
}

export interface RecordedEvent<TType extends string = string, TData extends EventData = EventData> {
  id: string;
  stream: string;
  revision: number;
  position: number;
  type: TType;
  data: TData;
  metadata: EventMetadata;
}

export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendOptions {
  expectedRevision?: ExpectedRevision; // default 'any'
}

export interface AppendResult {
  /** Revision of the last event now in the stream (the next append's expected revision). */
  nextExpectedRevision: number;
  /** Global position of the last event written (or found, for an idempotent re-append). */
  position: number;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards'; // default forwards
  /** Inclusive start revision; default the first (forwards) or the last (backwards) event. */
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events with a position strictly greater than this. Default 0 (from the start). */
  afterPosition?: number;
  maxCount?: number;
  /** Only streams whose name starts with one of these prefixes. */
  streamPrefixes?: string[];
}

export interface SubscribeOptions {
  /** Exclusive start position; 0 replays everything. */
  afterPosition?: number;
  streamPrefixes?: string[];
}

export type EventHandler = (event: RecordedEvent) => void | Promise<void>;

export interface Subscription {
  /** Position of the last event delivered to the handler (afterPosition until the first). */
  readonly position: number;
  /** Resolves once the catch-up phase has delivered every event committed before subscribing. */
  readonly caughtUp: Promise<void>;
  close(): Promise<void>;
}

export interface StreamInfo {
  stream: string;
  lastRevision: number;
  lastHash: string;
}

export interface EventStore {
  readonly kind: 'sqlite' | 'postgres' | 'memory' | 'kurrentdb';

  /**
   * Appends atomically and durably: the promise resolves only once the events are on disk.
   * Throws WrongExpectedRevisionError on a concurrency conflict, IdempotencyConflictError (see
   * NewEvent.id), EventStoreUnavailableError when the store cannot be reached.
   * An empty `events` only checks the expected revision.
   */
  append(stream: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult>;

  /** Throws StreamNotFoundError when the stream has no events. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** Revision of the stream's last event, or -1 when it does not exist. */
  streamRevision(stream: string): Promise<number>;

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  /** The highest committed global position (0 for an empty store). */
  headPosition(): Promise<number>;

  /** Every stream with its last revision and last hash, ordered by stream name. */
  listStreams(): Promise<StreamInfo[]>;

  /**
   * Catch-up then live: the handler sees every event after `afterPosition` exactly once, in global
   * order, never two at a time (the next waits for the previous handler's promise).
   * A handler that throws stops the subscription; the error is reported to `onError`. A store that
   * is briefly unavailable is retried with backoff rather than stopping the subscription.
   */
  subscribe(
    options: SubscribeOptions,
    handler: EventHandler,
    onError?: (error: unknown) => void,
  ): Subscription;

  /**
   * Writes events exactly as another store recorded them — used only by `npm run import` (see
   * `@concord/event-log-tools`), never by the application. Unlike `append`, nothing is completed or
   * re-hashed: each event keeps its id, type, data and its whole metadata (`at`, `userId`,
   * `prevHash`, `hash`, …) byte for byte, and its global `position`.
   *
   * Inside one atomic write, in the order given, every event is checked against what the store
   * already holds plus the events before it in the batch (`checkImportedEvent` in
   * `src/lib/import/import-checks.ts` does the checks, so every adapter checks the same):
   * - `position` is a safe integer greater than the store's head position and the previous event's;
   * - `revision` is the stream's next revision (0 for a new stream);
   * - `metadata.eventId` is `id`, and `id` is not stored yet (ids stay unique store-wide);
   * - `metadata.prevHash` is the hash of the stream's current last event (GENESIS_HASH for revision 0);
   * - `metadata.hash` equals computeEventHash recomputed over the event.
   * The first failure throws ImportRejectedError (stream, revision, position, reason) and nothing
   * of the batch is written. Subscribers see imported events like appended ones.
   *
   * Positions: memory, SQLite and PostgreSQL store the given positions (later appends continue
   * after the highest), so held checkpoints keep their meaning after a migration. A store that
   * cannot choose positions (KurrentDB assigns commit positions) keeps the order and must say so
   * in its adapter.
   */
  importEvents(events: readonly RecordedEvent[]): Promise<ImportEventsResult>;

  close(): Promise<void>;
}

export interface ImportEventsResult {
  /** Events written by this call. */
  eventsWritten: number;
  /** Global position of the last event written (the store's head position after the call). */
  position: number;
}

export const EVENT_STORE = Symbol('EVENT_STORE');
