import Database from 'better-sqlite3';
import { EventStoreUnavailableError } from '../errors';
import type { EventMetadata, RecordedEvent } from '../event-store.port';
import { fromStoredPayload } from '../stored-payload';

/**
 * The SQLite store's tables: `events` (position = rowid, in commit order) and `streams` (one head
 * record per stream: last revision, hash and position). The head record is what lets verify notice
 * a deleted tail event.
 */
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

export const EVENT_COLUMNS = 'position, stream, revision, id, type, is_binary, data, metadata';
/**
 * A stream's events, read as arrays in this order (raw rows) without the stream name: one stream
 * is long (a content stream of 260k updates), and `npm run verify` reads every row of it — a row
 * object and a copy of the name per event were a fifth of its read time.
 */
export const STREAM_EVENT_COLUMNS = 'position, revision, id, type, is_binary, data, metadata';
export type StreamEventRow = [position: number, revision: number, id: string, type: string, isBinary: number, data: Buffer | string, metadata: string];
/** SQLite's "no limit". */
export const NO_LIMIT = -1;

export interface EventRow {
  position: number;
  stream: string;
  revision: number;
  id: string;
  type: string;
  is_binary: number;
  data: Buffer | string;
  metadata: string;
}

export interface StreamRow {
  stream: string;
  last_revision: number;
  last_hash: string;
  last_position: number;
}

/**
 * Opens (or creates) the file: WAL, `synchronous=FULL` (an acknowledged append survives a power
 * cut), a busy timeout for readers in other processes (the verify tool), then the tables.
 */
export function openSqliteDatabase(filename: string): Database.Database {
  try {
    const db = new Database(filename);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    return db;
  } catch (error) {
    throw new EventStoreUnavailableError(`Cannot open the SQLite event store at ${filename}`, error);
  }
}

/** Every fixed statement of the store, prepared once. */
export type SqliteStatements = Record<
  | 'insertEvent'
  | 'insertImported'
  | 'upsertStreamHead'
  | 'streamHead'
  | 'locateEvent'
  | 'readStreamForwards'
  | 'readStreamBackwards'
  | 'readAll'
  | 'headPosition'
  | 'listStreams',
  Database.Statement
>;

export function prepareStatements(db: Database.Database): SqliteStatements {
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
    readStreamForwards: db
      .prepare(`SELECT ${STREAM_EVENT_COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`)
      .raw(true),
    readStreamBackwards: db
      .prepare(`SELECT ${STREAM_EVENT_COLUMNS} FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`)
      .raw(true),
    readAll: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`),
    headPosition: db.prepare('SELECT COALESCE(MAX(position), 0) AS head FROM events'),
    listStreams: db.prepare('SELECT stream, last_revision, last_hash FROM streams ORDER BY stream'),
  };
}

export function readHeadPosition(statements: SqliteStatements): number {
  return (statements.headPosition.get() as { head: number }).head;
}

/** A raw row of STREAM_EVENT_COLUMNS as the event it stores, in `stream`. */
export function streamRowToRecordedEvent(stream: string, row: StreamEventRow): RecordedEvent {
  return {
    id: row[2],
    stream,
    revision: row[1],
    position: row[0],
    type: row[3],
    data: fromStoredPayload(row[4] === 1, row[5]),
    metadata: JSON.parse(row[6]) as EventMetadata,
  };
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
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
