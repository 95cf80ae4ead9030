import Database from 'better-sqlite3';
import type { EventStoreTamperer } from './event-store.contract';

/** Edits a SQLite event store file through its own connection, as an attacker with the file would. */
export function createSqliteTamperer(filename: string): EventStoreTamperer {
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
  };
}
