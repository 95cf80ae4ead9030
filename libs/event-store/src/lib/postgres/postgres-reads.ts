import { StreamNotFoundError } from '../errors';
import type { ReadAllOptions, ReadStreamOptions, RecordedEvent, StreamInfo } from '../event-store.port';
import type { SubscriptionPage } from '../subscription/catch-up-subscription';
import type { PostgresConnection } from './postgres-connection';
import { EVENT_COLUMNS, EventRow, toRecordedEvent } from './postgres-schema';

/** The PostgreSQL store's reads: a stream, the whole log (by position and prefix), heads, and subscription pages. */
export class PostgresReads {
  constructor(private readonly connection: PostgresConnection) {}

  async readStream(stream: string, options: ReadStreamOptions): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const rows = await this.connection.query<EventRow>(
      `reading ${stream}`,
      `SELECT ${EVENT_COLUMNS} FROM ${this.connection.tables.events}
       WHERE stream = $1 AND revision ${backwards ? '<=' : '>='} $2
       ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
      [stream, options.fromRevision ?? (backwards ? 2 ** 31 - 1 : 0), options.maxCount ?? null],
    );
    if (rows.length === 0 && (await this.streamRevision(stream)) === -1) throw new StreamNotFoundError(stream);
    return rows.map(toRecordedEvent);
  }

  async streamRevision(stream: string): Promise<number> {
    const [head] = await this.connection.query<{ last_revision: number }>(
      `reading the head of ${stream}`,
      `SELECT last_revision FROM ${this.connection.tables.streams} WHERE stream = $1`,
      [stream],
    );
    return head?.last_revision ?? -1;
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const rows = await this.connection.query<EventRow>(
      'reading all events',
      `SELECT ${EVENT_COLUMNS} FROM ${this.connection.tables.events}
       WHERE position > $1 AND ${streamPrefixFilter('$2')}
       ORDER BY position LIMIT $3`,
      [options.afterPosition ?? 0, prefixesOrNull(options.streamPrefixes), options.maxCount ?? null],
    );
    return rows.map(toRecordedEvent);
  }

  async headPosition(): Promise<number> {
    const [row] = await this.connection.query<{ head: string }>(
      'reading the head position',
      `SELECT COALESCE(MAX(position), 0) AS head FROM ${this.connection.tables.events}`,
    );
    return Number(row.head);
  }

  async listStreams(): Promise<StreamInfo[]> {
    // COLLATE "C": byte order, the same on every server whatever its locale.
    const rows = await this.connection.query<{ stream: string; last_revision: number; last_hash: string }>(
      'listing streams',
      `SELECT stream, last_revision, last_hash FROM ${this.connection.tables.streams} ORDER BY stream COLLATE "C"`,
    );
    return rows.map((row) => ({ stream: row.stream, lastRevision: row.last_revision, lastHash: row.last_hash }));
  }

  /**
   * One statement, one snapshot: the head first, then the page up to it. Everything at or below the
   * head is committed (appends are serialized), so a short page means "scanned up to the head".
   */
  async readPage(afterPosition: number, maxCount: number, streamPrefixes?: string[]): Promise<SubscriptionPage> {
    const { events: table } = this.connection.tables;
    const rows = await this.connection.query<Partial<EventRow> & { head: string }>(
      'reading for a subscription',
      `WITH head AS (SELECT COALESCE(MAX(position), 0) AS head FROM ${table})
       SELECT page.*, head.head FROM head LEFT JOIN LATERAL (
         SELECT ${EVENT_COLUMNS} FROM ${table}
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
}

/** starts_with rather than LIKE: stream names may contain LIKE's wildcards. */
function streamPrefixFilter(parameter: string): string {
  return `(${parameter}::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest(${parameter}::text[]) AS prefix WHERE starts_with(stream, prefix)))`;
}

function prefixesOrNull(prefixes: string[] | undefined): string[] | null {
  return prefixes && prefixes.length > 0 ? prefixes : null;
}
