import type Database from 'better-sqlite3';
import { StreamNotFoundError } from '../errors';
import type { ReadStreamOptions, RecordedEvent, StreamInfo } from '../event-store.port';
import type { SubscriptionPage } from '../subscription/catch-up-subscription';
import {
  EVENT_COLUMNS,
  EventRow,
  NO_LIMIT,
  readHeadPosition,
  SqliteStatements,
  StreamEventRow,
  StreamRow,
  streamRowToRecordedEvent,
  toRecordedEvent,
} from './sqlite-schema';

/** The SQLite store's reads: a stream, the whole log (by position and prefix), heads, and subscription pages. */
export class SqliteReads {
  private readonly prefixQueries = new Map<number, Database.Statement>();
  /**
   * One page for a subscription and the head position, in one read transaction, so that a short
   * page means "scanned up to the head".
   */
  readonly readPage: (afterPosition: number, maxCount: number, streamPrefixes?: string[]) => SubscriptionPage;

  constructor(
    private readonly db: Database.Database,
    private readonly statements: SqliteStatements,
  ) {
    this.readPage = db.transaction((afterPosition: number, maxCount: number, streamPrefixes?: string[]) => {
      const events = this.readAll(afterPosition, maxCount, streamPrefixes);
      const head = readHeadPosition(this.statements);
      const scannedThrough = events.length < maxCount ? head : events[events.length - 1].position;
      return { events, scannedThrough: Math.max(scannedThrough, afterPosition) };
    });
  }

  readStream(stream: string, options: ReadStreamOptions): RecordedEvent[] {
    const maxCount = options.maxCount ?? NO_LIMIT;
    const rows = (
      options.direction === 'backwards'
        ? this.statements.readStreamBackwards.all(stream, options.fromRevision ?? Number.MAX_SAFE_INTEGER, maxCount)
        : this.statements.readStreamForwards.all(stream, options.fromRevision ?? 0, maxCount)
    ) as StreamEventRow[];
    if (rows.length === 0 && !this.statements.streamHead.get(stream)) throw new StreamNotFoundError(stream);
    return rows.map((row) => streamRowToRecordedEvent(stream, row));
  }

  streamRevision(stream: string): number {
    const head = this.statements.streamHead.get(stream) as StreamRow | undefined;
    return head?.last_revision ?? -1;
  }

  readAll(afterPosition: number, maxCount: number, streamPrefixes?: string[]): RecordedEvent[] {
    if (!streamPrefixes || streamPrefixes.length === 0) {
      return (this.statements.readAll.all(afterPosition, maxCount) as EventRow[]).map(toRecordedEvent);
    }
    const prefixArguments = streamPrefixes.flatMap((prefix) => [prefix.length, prefix]);
    return (
      this.prefixQuery(streamPrefixes.length).all(afterPosition, ...prefixArguments, maxCount) as EventRow[]
    ).map(toRecordedEvent);
  }

  headPosition(): number {
    return readHeadPosition(this.statements);
  }

  listStreams(): StreamInfo[] {
    return (this.statements.listStreams.all() as StreamRow[]).map((row) => ({
      stream: row.stream,
      lastRevision: row.last_revision,
      lastHash: row.last_hash,
    }));
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
