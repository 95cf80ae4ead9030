import { Client, ClientConfig, Pool, PoolClient, PoolConfig } from 'pg';
import { sha256Hex } from '@concord/integrity';
import { StreamNotFoundError } from '../errors';
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
import { asUnavailableIfConnectionFailure } from './postgres-connection-errors';
import { assertUniqueIds, checkImportedEvent, ImportedStreamHead, ImportRejectedError } from '../transfer/import-checks';

export interface PostgresEventStoreOptions {
  /** Schema holding the event tables, created when missing (tests use a fresh one each). Default `public`. */
  schema?: string;
}

/** First key of the two-key advisory locks this store takes; the second identifies the schema. */
const ADVISORY_LOCK_CLASS = 0x436f6e63; // "Conc"
export const LISTEN_APPLICATION_NAME = 'concord-event-store-listen';
const FIRST_RECONNECT_DELAY_MS = 250;
const MAX_RECONNECT_DELAY_MS = 5_000;

interface EventRow {
  position: string;
  stream: string;
  revision: number;
  id: string;
  type: string;
  is_binary: boolean;
  data: Buffer;
  metadata: string;
}

interface ImportState {
  head: number | string;
  stored: string[] | null;
  heads: Array<{ stream: string; revision: number; hash: string }> | null;
}

interface AppendState {
  stored: Array<{ id: string; stream: string; revision: number; position: string }> | null;
  head: { revision: number; hash: string; position: string } | null;
}

/**
 * Event store on PostgreSQL (`pg`), for several API nodes sharing one log.
 *
 * Ordering: positions come from a sequence, and a subscriber reads "position > last seen". If two
 * appends could commit out of sequence order, a subscriber could read position 11 before 10
 * commits and skip 10 forever. So appends are SERIALIZED by a transaction-scoped advisory lock (one
 * key per schema): the lock is taken before the sequence is used and released only after commit is
 * visible, hence positions become visible in increasing order. The expected revision and the
 * idempotency check run inside that transaction, after the lock. The cost is one writer at a time,
 * so the append transaction keeps its round trips while holding the lock to three.
 *
 * Subscriptions: after commit, each append NOTIFYs the new head position on a per-schema channel;
 * one dedicated LISTEN connection per store wakes the subscriptions, which then read by position
 * (a notification is only a hint, so a missed one delays but never loses an event). The LISTEN
 * connection reconnects with backoff and wakes every subscription after reconnecting.
 *
 * Connection failures surface as EventStoreUnavailableError.
 */
export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres' as const;

  private readonly pool: Pool;
  private readonly clientConfig: ClientConfig;
  private readonly schema: string;
  private readonly events: string;
  private readonly streams: string;
  private readonly notifyChannel: string;
  private readonly schemaLockKey: number;
  private readonly subscriptions = new LiveSubscriptions((afterPosition, maxCount, streamPrefixes) =>
    this.readPage(afterPosition, maxCount, streamPrefixes),
  );
  private schemaReady: Promise<void> | null = null;
  private listenClient: Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelay = FIRST_RECONNECT_DELAY_MS;
  private closed = false;

  constructor(connection: string | PoolConfig, options: PostgresEventStoreOptions = {}) {
    const config: PoolConfig = typeof connection === 'string' ? { connectionString: connection } : { ...connection };
    // Without a timeout a request hangs for as long as the server is unreachable.
    config.connectionTimeoutMillis ??= 5_000;
    this.clientConfig = config;
    this.pool = new Pool(config);
    // An idle pooled connection that dies emits 'error'; unhandled, it would crash the process.
    // The pool discards it and the next checkout reconnects, so there is nothing else to do.
    this.pool.on('error', () => undefined);

    this.schema = options.schema ?? 'public';
    const quotedSchema = `"${this.schema.replace(/"/g, '""')}"`;
    this.events = `${quotedSchema}.events`;
    this.streams = `${quotedSchema}.streams`;
    const schemaDigest = sha256Hex(this.schema);
    // Channel names are identifiers limited to 63 bytes: derive a short, safe one from the schema.
    this.notifyChannel = `concord_events_${schemaDigest.slice(0, 16)}`;
    this.schemaLockKey = Number.parseInt(schemaDigest.slice(0, 8), 16) | 0;
  }

  async append(stream: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    await this.ensureSchema();
    const client = await this.connect('appending');
    let connectionBroken = false;
    try {
      await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_CLASS}, ${this.schemaLockKey})`);
      const result = await this.appendLocked(client, stream, events, options);
      await client.query('COMMIT');
      if (result.wrote) this.subscriptions.committed();
      return result.appended;
    } catch (error) {
      const mapped = asUnavailableIfConnectionFailure(error, `appending to ${stream}`);
      connectionBroken = mapped !== error;
      if (!connectionBroken) await client.query('ROLLBACK').catch(() => undefined);
      throw mapped;
    } finally {
      // A broken connection must not go back to the pool.
      client.release(connectionBroken ? true : undefined);
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    await this.ensureSchema();
    const backwards = options.direction === 'backwards';
    const rows = await this.query<EventRow>(
      `reading ${stream}`,
      `SELECT ${EVENT_COLUMNS} FROM ${this.events}
       WHERE stream = $1 AND revision ${backwards ? '<=' : '>='} $2
       ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
      [stream, options.fromRevision ?? (backwards ? 2 ** 31 - 1 : 0), options.maxCount ?? null],
    );
    if (rows.length === 0 && (await this.streamRevision(stream)) === -1) throw new StreamNotFoundError(stream);
    return rows.map(toRecordedEvent);
  }

  async streamRevision(stream: string): Promise<number> {
    await this.ensureSchema();
    const [head] = await this.query<{ last_revision: number }>(
      `reading the head of ${stream}`,
      `SELECT last_revision FROM ${this.streams} WHERE stream = $1`,
      [stream],
    );
    return head?.last_revision ?? -1;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    await this.ensureSchema();
    const rows = await this.query<EventRow>(
      'reading all events',
      `SELECT ${EVENT_COLUMNS} FROM ${this.events}
       WHERE position > $1 AND ${streamPrefixFilter('$2')}
       ORDER BY position LIMIT $3`,
      [options.afterPosition ?? 0, prefixesOrNull(options.streamPrefixes), options.maxCount ?? null],
    );
    return rows.map(toRecordedEvent);
  }

  async headPosition(): Promise<number> {
    await this.ensureSchema();
    const [row] = await this.query<{ head: string }>(
      'reading the head position',
      `SELECT COALESCE(MAX(position), 0) AS head FROM ${this.events}`,
    );
    return Number(row.head);
  }

  async listStreams(): Promise<StreamInfo[]> {
    await this.ensureSchema();
    // COLLATE "C": byte order, the same on every server whatever its locale.
    const rows = await this.query<{ stream: string; last_revision: number; last_hash: string }>(
      'listing streams',
      `SELECT stream, last_revision, last_hash FROM ${this.streams} ORDER BY stream COLLATE "C"`,
    );
    return rows.map((row) => ({ stream: row.stream, lastRevision: row.last_revision, lastHash: row.last_hash }));
  }

  subscribe(
    options: SubscribeOptions,
    handler: EventHandler,
    onError?: (error: unknown) => void,
  ): Subscription {
    this.startListening();
    return this.subscriptions.start(options, handler, onError);
  }

  /**
   * One transaction under the append lock: read the head position, the heads of the batch's
   * streams and any of its ids already stored; check every event; insert the rows with their
   * positions, upsert the heads, move the position sequence past the highest imported position,
   * notify.
   */
  async importEvents(events: readonly RecordedEvent[]): Promise<ImportEventsResult> {
    await this.ensureSchema();
    const client = await this.connect('importing');
    let connectionBroken = false;
    try {
      await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_CLASS}, ${this.schemaLockKey})`);
      const result = await this.importLocked(client, events);
      await client.query('COMMIT');
      if (result.eventsWritten > 0) this.subscriptions.committed();
      return result;
    } catch (error) {
      const mapped = error instanceof ImportRejectedError ? error : asUnavailableIfConnectionFailure(error, 'importing');
      connectionBroken = mapped !== error && !(error instanceof ImportRejectedError);
      if (!connectionBroken) await client.query('ROLLBACK').catch(() => undefined);
      throw mapped;
    } finally {
      client.release(connectionBroken ? true : undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.subscriptions.closeAll();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const listenClient = this.listenClient;
    this.listenClient = null;
    await listenClient?.end().catch(() => undefined);
    await this.pool.end();
  }

  /**
   * The part of an append that runs under the lock: one round trip to read the ids and the head,
   * one to write the events, the head and the notification.
   */
  private async appendLocked(
    client: PoolClient,
    stream: string,
    events: NewEvent[],
    options: AppendOptions,
  ): Promise<{ appended: AppendResult; wrote: boolean }> {
    const ids = events.map((event) => event.id);
    const { rows } = await client.query<{ state: AppendState }>(
      `SELECT json_build_object(
         'stored', (SELECT json_agg(json_build_object('id', id, 'stream', stream, 'revision', revision, 'position', position))
                    FROM ${this.events} WHERE id = ANY($1::text[])),
         'head', (SELECT json_build_object('revision', last_revision, 'hash', last_hash, 'position', last_position)
                  FROM ${this.streams} WHERE stream = $2)
       ) AS state`,
      [ids, stream],
    );
    const { stored, head } = rows[0].state;

    const storedLocations = new Map<string, StoredEventLocation>(
      (stored ?? []).map((location) => [location.id, { ...location, position: Number(location.position) }]),
    );
    const replay = detectIdempotentReplay(stream, ids, storedLocations);
    if (replay) return { appended: replay, wrote: false };

    const lastRevision = head?.revision ?? -1;
    assertExpectedRevision(stream, options.expectedRevision ?? 'any', lastRevision);
    if (events.length === 0) {
      return { appended: { nextExpectedRevision: lastRevision, position: Number(head?.position ?? 0) }, wrote: false };
    }

    const sealed = sealEvents(stream, head ? { revision: head.revision, hash: head.hash } : EMPTY_STREAM_HEAD, events);
    const payloads = sealed.map((event) => toStoredPayload(event.data));
    const last = sealed[sealed.length - 1];
    // ORDER BY ordinality makes the sequence hand out positions in revision order.
    const written = await client.query<{ position: string }>(
      `WITH inserted AS (
         INSERT INTO ${this.events} (stream, revision, id, type, is_binary, data, metadata)
         SELECT $1, revision, id, type, is_binary, data, metadata
         FROM unnest($2::int[], $3::text[], $4::text[], $5::bool[], $6::bytea[], $7::text[])
              WITH ORDINALITY AS e(revision, id, type, is_binary, data, metadata, ordinality)
         ORDER BY ordinality
         RETURNING position
       ), head AS (
         INSERT INTO ${this.streams} (stream, last_revision, last_hash, last_position)
         SELECT $1, $8, $9, MAX(position) FROM inserted
         ON CONFLICT (stream) DO UPDATE SET
           last_revision = excluded.last_revision, last_hash = excluded.last_hash, last_position = excluded.last_position
         RETURNING last_position
       )
       SELECT last_position AS position, pg_notify($10, last_position::text) FROM head`,
      [
        stream,
        sealed.map((event) => event.revision),
        sealed.map((event) => event.id),
        sealed.map((event) => event.type),
        payloads.map((payload) => payload.isBinary),
        payloads.map((payload) => (typeof payload.content === 'string' ? Buffer.from(payload.content) : payload.content)),
        sealed.map((event) => JSON.stringify(event.metadata)),
        last.revision,
        last.metadata.hash,
        this.notifyChannel,
      ],
    );
    return {
      appended: { nextExpectedRevision: last.revision, position: Number(written.rows[0].position) },
      wrote: true,
    };
  }

  private async importLocked(client: PoolClient, events: readonly RecordedEvent[]): Promise<ImportEventsResult> {
    assertUniqueIds(events);
    const streamNames = [...new Set(events.map((event) => event.stream))];
    const { rows } = await client.query<{ state: ImportState }>(
      `SELECT json_build_object(
         'head', (SELECT COALESCE(MAX(position), 0) FROM ${this.events}),
         'stored', (SELECT json_agg(id) FROM ${this.events} WHERE id = ANY($1::text[])),
         'heads', (SELECT json_agg(json_build_object('stream', stream, 'revision', last_revision, 'hash', last_hash))
                   FROM ${this.streams} WHERE stream = ANY($2::text[]))
       ) AS state`,
      [events.map((event) => event.id), streamNames],
    );
    const state = rows[0].state;
    const storedIds = new Set(state.stored ?? []);
    const heads = new Map<string, ImportedStreamHead>(
      (state.heads ?? []).map((head) => [head.stream, { revision: head.revision, hash: head.hash }]),
    );
    const headPositions = new Map<string, number>();
    let lastPosition = Number(state.head);
    for (const event of events) {
      if (storedIds.has(event.id)) {
        throw new ImportRejectedError(event.stream, event.revision, event.position, `event id ${event.id} is already stored`);
      }
      checkImportedEvent(event, heads.get(event.stream), lastPosition);
      heads.set(event.stream, { revision: event.revision, hash: event.metadata.hash });
      headPositions.set(event.stream, event.position);
      lastPosition = event.position;
    }
    if (events.length === 0) return { eventsWritten: 0, position: lastPosition };

    const payloads = events.map((event) => toStoredPayload(event.data));
    await client.query(
      `INSERT INTO ${this.events} (position, stream, revision, id, type, is_binary, data, metadata)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::text[], $6::bool[], $7::bytea[], $8::text[])`,
      [
        events.map((event) => event.position),
        events.map((event) => event.stream),
        events.map((event) => event.revision),
        events.map((event) => event.id),
        events.map((event) => event.type),
        payloads.map((payload) => payload.isBinary),
        payloads.map((payload) => (typeof payload.content === 'string' ? Buffer.from(payload.content) : payload.content)),
        events.map((event) => JSON.stringify(event.metadata)),
      ],
    );
    const written = [...headPositions.keys()];
    await client.query(
      `INSERT INTO ${this.streams} (stream, last_revision, last_hash, last_position)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::bigint[])
       ON CONFLICT (stream) DO UPDATE SET
         last_revision = excluded.last_revision, last_hash = excluded.last_hash, last_position = excluded.last_position`,
      [
        written,
        written.map((stream) => heads.get(stream)?.revision),
        written.map((stream) => heads.get(stream)?.hash),
        written.map((stream) => headPositions.get(stream)),
      ],
    );
    // Appends take positions from the sequence: never hand out an imported position again.
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, 'position'), $2::bigint), pg_notify($3, $2::text)`,
      [this.events, lastPosition, this.notifyChannel],
    );
    return { eventsWritten: events.length, position: lastPosition };
  }

  /**
   * One statement, one snapshot: the head first, then the page up to it. Everything at or below the
   * head is committed (appends are serialized), so a short page means "scanned up to the head".
   */
  private async readPage(afterPosition: number, maxCount: number, streamPrefixes?: string[]): Promise<SubscriptionPage> {
    await this.ensureSchema();
    const rows = await this.query<Partial<EventRow> & { head: string }>(
      'reading for a subscription',
      `WITH head AS (SELECT COALESCE(MAX(position), 0) AS head FROM ${this.events})
       SELECT page.*, head.head FROM head LEFT JOIN LATERAL (
         SELECT ${EVENT_COLUMNS} FROM ${this.events}
         WHERE position > $1 AND position <= head.head AND ${streamPrefixFilter('$2')}
         ORDER BY position LIMIT $3
       ) page ON true`,
      [afterPosition, prefixesOrNull(streamPrefixes), maxCount],
    );
    const events = rows.filter((row) => row.position !== null).map((row) => toRecordedEvent(row as EventRow));
    const head = Number(rows[0]?.head ?? 0);
    const scannedThrough = events.length < maxCount ? head : events[events.length - 1].position;
    return { events, scannedThrough: Math.max(scannedThrough, afterPosition) };
  }

  private ensureSchema(): Promise<void> {
    if (!this.schemaReady) {
      this.schemaReady = this.createSchema();
      // A failed attempt (server down at startup) must not poison later calls.
      this.schemaReady.catch(() => {
        this.schemaReady = null;
      });
    }
    return this.schemaReady;
  }

  private async createSchema(): Promise<void> {
    const client = await this.connect('creating the schema');
    try {
      // Under the append lock, so that two nodes starting together do not race on CREATE.
      await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_CLASS}, ${this.schemaLockKey})`);
      await client.query(`
        CREATE SCHEMA IF NOT EXISTS "${this.schema.replace(/"/g, '""')}";
        CREATE TABLE IF NOT EXISTS ${this.events} (
          position BIGSERIAL PRIMARY KEY,
          stream TEXT NOT NULL,
          revision INTEGER NOT NULL,
          id TEXT NOT NULL UNIQUE,
          type TEXT NOT NULL,
          is_binary BOOLEAN NOT NULL,
          data BYTEA NOT NULL,
          metadata TEXT NOT NULL,
          UNIQUE (stream, revision)
        );
        CREATE TABLE IF NOT EXISTS ${this.streams} (
          stream TEXT PRIMARY KEY,
          last_revision INTEGER NOT NULL,
          last_hash TEXT NOT NULL,
          last_position BIGINT NOT NULL
        );
        COMMIT;`);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw asUnavailableIfConnectionFailure(error, 'creating the schema');
    } finally {
      client.release();
    }
  }

  private async connect(whileDoing: string): Promise<PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw asUnavailableIfConnectionFailure(error, whileDoing);
    }
  }

  private async query<TRow>(whileDoing: string, text: string, values?: unknown[]): Promise<TRow[]> {
    try {
      return (await this.pool.query(text, values)).rows as TRow[];
    } catch (error) {
      throw asUnavailableIfConnectionFailure(error, whileDoing);
    }
  }

  private startListening(): void {
    if (this.listenClient || this.reconnectTimer || this.closed) return;
    // Named so that operators (and the reconnect test) can tell it from pooled connections.
    const client = new Client({ ...this.clientConfig, application_name: `${LISTEN_APPLICATION_NAME}:${this.schema}` });
    this.listenClient = client;
    client.on('notification', (message) => {
      if (message.channel === this.notifyChannel) this.subscriptions.committed();
    });
    const reconnect = () => {
      if (this.listenClient !== client) return;
      this.listenClient = null;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', reconnect);
    client.on('end', reconnect);
    client
      .connect()
      .then(() => client.query(`LISTEN ${this.notifyChannel}`))
      .then(() => {
        this.reconnectDelay = FIRST_RECONNECT_DELAY_MS;
        // Commits made before LISTEN took effect sent no notification we could see: read again.
        this.subscriptions.committed();
      })
      .catch(reconnect);
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.startListening();
    }, this.reconnectDelay);
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, MAX_RECONNECT_DELAY_MS);
  }
}

const EVENT_COLUMNS = 'position, stream, revision, id, type, is_binary, data, metadata';

/** starts_with rather than LIKE: stream names may contain LIKE's wildcards. */
function streamPrefixFilter(parameter: string): string {
  return `(${parameter}::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest(${parameter}::text[]) AS prefix WHERE starts_with(stream, prefix)))`;
}

function prefixesOrNull(prefixes: string[] | undefined): string[] | null {
  return prefixes && prefixes.length > 0 ? prefixes : null;
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    stream: row.stream,
    revision: row.revision,
    position: Number(row.position),
    type: row.type,
    data: fromStoredPayload(row.is_binary, row.data),
    metadata: JSON.parse(row.metadata) as EventMetadata,
  };
}
