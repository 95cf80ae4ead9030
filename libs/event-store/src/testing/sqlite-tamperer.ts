import Database from 'better-sqlite3';
import { computeEventHash } from '@concord/integrity';
import type { EventMetadata, RecordedEvent } from '../lib/event-store.port';
import { fromStoredPayload, toStoredPayload } from '../lib/stored-payload';
import type { HistoryTamperer } from './history-tamperer';
import { rewriteStreamConsistently } from './rechain';

interface RawRow {
  position: number;
  stream: string;
  revision: number;
  id: string;
  type: string;
  is_binary: number;
  data: Buffer | string;
  metadata: string;
}

function decode(row: RawRow): RecordedEvent {
  return {
    position: row.position,
    stream: row.stream,
    revision: row.revision,
    id: row.id,
    type: row.type,
    data: fromStoredPayload(row.is_binary === 1, row.data),
    metadata: JSON.parse(row.metadata) as EventMetadata,
  };
}

/** Edits a SQLite event store file through its own connection, as an attacker with the file would. */
export function createSqliteTamperer(filename: string): HistoryTamperer {
  const withDatabase = (edit: (db: Database.Database) => void): Promise<void> => {
    const db = new Database(filename);
    try {
      db.transaction(() => edit(db))();
    } finally {
      db.close();
    }
    return Promise.resolve();
  };
  const rowOf = (db: Database.Database, stream: string, revision: number) => {
    const row = db
      .prepare('SELECT position, data, metadata FROM events WHERE stream = ? AND revision = ?')
      .get(stream, revision) as { position: number; data: Buffer | string; metadata: string } | undefined;
    if (!row) throw new Error(`No event ${stream}@${revision} to tamper with`);
    return row;
  };

  return {
    flipDataByte: (stream, revision) =>
      withDatabase((db) => {
        const row = rowOf(db, stream, revision);
        const bytes = Buffer.from(row.data);
        bytes[bytes.length >> 1] ^= 0x01;
        const data = typeof row.data === 'string' ? bytes.toString('utf8') : bytes;
        db.prepare('UPDATE events SET data = ? WHERE position = ?').run(data, row.position);
      }),
    setMetadataField: (stream, revision, field, value) =>
      withDatabase((db) => {
        const row = rowOf(db, stream, revision);
        const metadata = { ...JSON.parse(row.metadata), [field]: value };
        db.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(JSON.stringify(metadata), row.position);
      }),
    swapPayloads: (stream, revisionA, revisionB) =>
      withDatabase((db) => {
        const [a, b] = [rowOf(db, stream, revisionA), rowOf(db, stream, revisionB)];
        const update = db.prepare('UPDATE events SET data = ? WHERE position = ?');
        update.run(b.data, a.position);
        update.run(a.data, b.position);
      }),
    swapOrder: (stream, revisionA, revisionB) =>
      withDatabase((db) => {
        const move = db.prepare('UPDATE events SET revision = ? WHERE stream = ? AND revision = ?');
        move.run(-1, stream, revisionA);
        move.run(revisionA, stream, revisionB);
        move.run(revisionB, stream, -1);
      }),
    deleteEvent: (stream, revision) =>
      withDatabase((db) => {
        db.prepare('DELETE FROM events WHERE stream = ? AND revision = ?').run(stream, revision);
      }),
    insertForgedEvent: (stream, revision, forged) =>
      withDatabase((db) => {
        const previous = decode(
          db.prepare('SELECT * FROM events WHERE stream = ? AND revision = ?').get(stream, revision - 1) as RawRow,
        );
        // Two steps through negative revisions, so that UNIQUE (stream, revision) never collides.
        db.prepare('UPDATE events SET revision = -revision - 2 WHERE stream = ? AND revision >= ?').run(stream, revision);
        db.prepare('UPDATE events SET revision = -revision - 1 WHERE stream = ? AND revision < 0').run(stream);
        const metadata = { userId: forged.userId, at: forged.at, eventId: forged.id, prevHash: previous.metadata.hash };
        const hash = computeEventHash({ prevHash: previous.metadata.hash, stream, revision, type: forged.type, data: forged.data, metadata });
        const payload = toStoredPayload(forged.data);
        db.prepare('INSERT INTO events (stream, revision, id, type, is_binary, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
          stream,
          revision,
          forged.id,
          forged.type,
          payload.isBinary ? 1 : 0,
          payload.content,
          JSON.stringify({ ...metadata, hash }),
        );
      }),
    truncateTail: (count) =>
      withDatabase((db) => {
        db.prepare('DELETE FROM events WHERE position IN (SELECT position FROM events ORDER BY position DESC LIMIT ?)').run(count);
      }),
    rewriteStreamConsistently: (stream, revision, newData) =>
      withDatabase((db) => {
        const rows = db.prepare('SELECT * FROM events WHERE stream = ? ORDER BY revision').all(stream) as RawRow[];
        const rewritten = rewriteStreamConsistently(rows.map(decode), revision, newData);
        const update = db.prepare('UPDATE events SET is_binary = ?, data = ?, metadata = ? WHERE position = ?');
        for (const event of rewritten.slice(revision)) {
          const payload = toStoredPayload(event.data);
          update.run(payload.isBinary ? 1 : 0, payload.content, JSON.stringify(event.metadata), event.position);
        }
        const last = rewritten[rewritten.length - 1];
        db.prepare('UPDATE streams SET last_hash = ? WHERE stream = ?').run(last.metadata.hash, stream);
      }),
  };
}
