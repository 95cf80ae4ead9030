import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTENT_SNAPSHOT, CONTENT_UPDATED } from '@concord/collab';
import Database from 'better-sqlite3';
import { round } from '../stats';

export interface LogStorage {
  readonly updates: number;
  readonly checkpoints: number;
  /** The whole SQLite file after VACUUM (updates, checkpoints, indexes, stream heads). */
  readonly fileBytes: number;
  readonly fileBytesPerEvent: number;
  readonly fileBytesPerUpdate: number;
  readonly checkpointBytes: { readonly total: number; readonly mean: number; readonly last: number };
}

export interface UpdateStorage {
  readonly updates: number;
  /** Mean Yjs update bytes as typed (the `data` column holds exactly these). */
  readonly rawUpdateBytes: number;
  /** Mean of length(data) + length(metadata) per ContentUpdated row. */
  readonly payloadAndMetadataBytes: number;
  readonly metadataBytes: number;
  /** Mean of the other text columns (id, stream, type). */
  readonly otherColumnBytes: number;
  /** File with only the ContentUpdated events, after VACUUM, per event. */
  readonly fileBytesPerUpdate: number;
  /** dbstat: bytes per update in the table and in each index. */
  readonly pages: Record<string, number>;
  /** Sample stored metadata of one update (what the bytes are). */
  readonly sampleMetadata: string;
  /**
   * µs per event to read the log back the way the collab server's store subscription does after
   * every commit (readAll by position, content-stream prefix, pages of 500): each appended update
   * is read back once, to be skipped by the document that wrote it.
   */
  readonly readBackUsPerEvent: number;
  /** Layouts that would store the same updates (see compactLayouts). */
  readonly alternatives: ReadonlyArray<{
    readonly layout: string;
    readonly bytesPerUpdate: number;
    readonly ratio: number;
    readonly keeps: string;
    /** Inserting the rows in transactions of 128 (WAL, synchronous=FULL), µs per update: the store's share of a group commit. */
    readonly insertUsPerUpdate: number;
  }>;
}

/** Sizes of a history's SQLite file, as written by the product's SqliteEventStore. */
export function measureLog(file: string): LogStorage {
  const scratch = mkdtempSync(join(tmpdir(), 'concord-bench-storage-'));
  try {
    const source = new Database(file, { readonly: true });
    const counts = source.prepare('SELECT type, count(*) AS n, sum(length(data)) AS bytes FROM events GROUP BY type').all() as Array<{
      type: string;
      n: number;
      bytes: number;
    }>;
    const last = source
      .prepare('SELECT length(data) AS bytes FROM events WHERE type = ? ORDER BY position DESC LIMIT 1')
      .get(CONTENT_SNAPSHOT) as { bytes: number } | undefined;
    const copy = join(scratch, 'vacuumed.db');
    source.prepare('VACUUM INTO ?').run(copy);
    source.close();
    const updates = counts.find((row) => row.type === CONTENT_UPDATED)?.n ?? 0;
    const checkpointRow = counts.find((row) => row.type === CONTENT_SNAPSHOT);
    const checkpoints = checkpointRow?.n ?? 0;
    const fileBytes = statSync(copy).size;
    return {
      updates,
      checkpoints,
      fileBytes,
      fileBytesPerEvent: round(fileBytes / (updates + checkpoints)),
      fileBytesPerUpdate: round(fileBytes / updates),
      checkpointBytes: {
        total: checkpointRow?.bytes ?? 0,
        mean: Math.round((checkpointRow?.bytes ?? 0) / Math.max(1, checkpoints)),
        last: last?.bytes ?? 0,
      },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

interface UpdateRow {
  position: number;
  stream: string;
  revision: number;
  id: string;
  type: string;
  data: Buffer;
  metadata: string;
}

/** What one ContentUpdated costs on disk, independent of K (checkpoints removed). */
export function measureUpdates(file: string, rawUpdateBytes: number): Omit<UpdateStorage, 'readBackUsPerEvent'> {
  const scratch = mkdtempSync(join(tmpdir(), 'concord-bench-storage-'));
  try {
    const source = new Database(file, { readonly: true });
    const columns = source
      .prepare(
        `SELECT count(*) AS n, avg(length(data)) AS data, avg(length(metadata)) AS metadata,
                avg(length(id) + length(stream) + length(type)) AS other
         FROM events WHERE type = ?`,
      )
      .get(CONTENT_UPDATED) as { n: number; data: number; metadata: number; other: number };
    const rows = source.prepare('SELECT * FROM events WHERE type = ? ORDER BY position').all(CONTENT_UPDATED) as UpdateRow[];
    const copy = join(scratch, 'updates-only.db');
    source.prepare('VACUUM INTO ?').run(copy);
    source.close();

    const updatesOnly = new Database(copy);
    updatesOnly.prepare('DELETE FROM events WHERE type <> ?').run(CONTENT_UPDATED);
    updatesOnly.exec('VACUUM');
    const pages = Object.fromEntries(
      (updatesOnly.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as Array<{ name: string; bytes: number }>)
        .filter((row) => row.bytes > 4096)
        .map((row) => [row.name, round(row.bytes / columns.n)]),
    );
    updatesOnly.close();
    const fileBytesPerUpdate = statSync(copy).size / columns.n;

    const alternatives = compactLayouts(rows, scratch).map((alternative) => ({
      ...alternative,
      bytesPerUpdate: round(alternative.bytesPerUpdate),
      ratio: round(alternative.bytesPerUpdate / rawUpdateBytes),
      insertUsPerUpdate: round(alternative.insertUsPerUpdate),
    }));
    return {
      updates: columns.n,
      rawUpdateBytes: round(rawUpdateBytes),
      payloadAndMetadataBytes: round(columns.data + columns.metadata),
      metadataBytes: round(columns.metadata),
      otherColumnBytes: round(columns.other),
      fileBytesPerUpdate: round(fileBytesPerUpdate),
      pages,
      sampleMetadata: rows[Math.min(rows.length - 1, 1000)]?.metadata ?? '',
      alternatives,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The same updates in layouts a product change could adopt, each written to a fresh SQLite file in
 * transactions of 128 rows (WAL, synchronous=FULL, as a group commit) — timed — then VACUUMed:
 * - `current`: the product's events table and row values (reference; the store also looks up each
 *   id for idempotency and updates the stream head, not included here);
 * - `binary`: every fact kept, binary-encoded — integer stream/type/user ids, 16-byte UUID, epoch
 *   milliseconds, 32-byte hash; `eventId` (= id) and `prevHash` (= the previous row's hash) not
 *   stored twice. Verifiable exactly as today.
 * - `batch-chained`: as `binary`, but events are identified by (stream, revision) and the hash chain
 *   links commit batches (one hash per group commit of 256 updates) instead of single events.
 */
function compactLayouts(
  rows: readonly UpdateRow[],
  scratch: string,
): Array<{ layout: string; bytesPerUpdate: number; keeps: string; insertUsPerUpdate: number }> {
  const users = new Map<string, number>();
  const userRef = (userId: string): number => {
    let ref = users.get(userId);
    if (ref === undefined) users.set(userId, (ref = users.size + 1));
    return ref;
  };
  const parsed = rows.map((row) => {
    const metadata = JSON.parse(row.metadata) as Record<string, string | number>;
    return {
      row,
      user: userRef(String(metadata['userId'])),
      atMs: Date.parse(String(metadata['at'])),
      contentRevision: Number(metadata['revision']),
      kind: metadata['kind'] === 'edit' ? 0 : 1,
      clientId: typeof metadata['clientId'] === 'number' ? metadata['clientId'] : null,
      hash: Buffer.from(String(metadata['hash']), 'hex'),
      id: Buffer.from(row.id.replace(/-/g, ''), 'hex'),
    };
  });

  const TRANSACTION = 128;
  const measure = (layout: string, schema: string, prepare: (db: Database.Database) => (index: number) => void): { bytes: number; insertUs: number } => {
    const path = join(scratch, `${layout}.db`);
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(schema);
    const insertRow = prepare(db);
    const insertRange = db.transaction((from: number, to: number) => {
      for (let index = from; index < to; index++) insertRow(index);
    });
    const started = performance.now();
    for (let from = 0; from < rows.length; from += TRANSACTION) insertRange(from, Math.min(rows.length, from + TRANSACTION));
    const insertUs = ((performance.now() - started) * 1000) / rows.length;
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.exec('VACUUM');
    db.close();
    return { bytes: statSync(path).size / rows.length, insertUs };
  };

  const current = measure(
    'current',
    `CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT NOT NULL, revision INTEGER NOT NULL,
       id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, is_binary INTEGER NOT NULL, data BLOB NOT NULL, metadata TEXT NOT NULL,
       UNIQUE (stream, revision));`,
    (db) => {
      const statement = db.prepare('INSERT INTO events (stream, revision, id, type, is_binary, data, metadata) VALUES (?, ?, ?, ?, 1, ?, ?)');
      return (index) => {
        const { row } = parsed[index];
        statement.run(row.stream, row.revision, row.id, row.type, row.data, row.metadata);
      };
    },
  );

  const binary = measure(
    'binary',
    `CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id INTEGER NOT NULL, revision INTEGER NOT NULL,
       id BLOB NOT NULL UNIQUE, type_id INTEGER NOT NULL, data BLOB NOT NULL, user_id INTEGER NOT NULL,
       at_ms INTEGER NOT NULL, content_revision INTEGER, kind INTEGER, client_id INTEGER, hash BLOB NOT NULL,
       UNIQUE (stream_id, revision));`,
    (db) => {
      const statement = db.prepare('INSERT INTO events VALUES (?, 1, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)');
      return (index) => {
        const entry = parsed[index];
        statement.run(entry.row.position, entry.row.revision, entry.id, entry.row.data, entry.user, entry.atMs, entry.contentRevision, entry.kind, entry.clientId, entry.hash);
      };
    },
  );
  const BATCH = 256;
  const batchChained = measure(
    'batch-chained',
    `CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id INTEGER NOT NULL, revision INTEGER NOT NULL,
       type_id INTEGER NOT NULL, data BLOB NOT NULL, user_id INTEGER NOT NULL, at_ms INTEGER NOT NULL,
       content_revision INTEGER, kind INTEGER, client_id INTEGER, UNIQUE (stream_id, revision));
     CREATE TABLE commits (stream_id INTEGER NOT NULL, last_revision INTEGER NOT NULL, id BLOB NOT NULL,
       hash BLOB NOT NULL, PRIMARY KEY (stream_id, last_revision)) WITHOUT ROWID;`,
    (db) => {
      const event = db.prepare('INSERT INTO events VALUES (?, 1, ?, 1, ?, ?, ?, ?, ?, ?)');
      const commit = db.prepare('INSERT INTO commits VALUES (1, ?, ?, ?)');
      return (index) => {
        const entry = parsed[index];
        event.run(entry.row.position, entry.row.revision, entry.row.data, entry.user, entry.atMs, entry.contentRevision, entry.kind, entry.clientId);
        if (index % BATCH === BATCH - 1 || index === parsed.length - 1) commit.run(entry.row.revision, entry.id, entry.hash);
      };
    },
  );
  return [
    { layout: 'current', bytesPerUpdate: current.bytes, insertUsPerUpdate: current.insertUs, keeps: "today's events table (reference)" },
    { layout: 'binary', bytesPerUpdate: binary.bytes, insertUsPerUpdate: binary.insertUs, keeps: 'every fact and per-event hash chain, binary-encoded' },
    {
      layout: 'batch-chained',
      bytesPerUpdate: batchChained.bytes,
      insertUsPerUpdate: batchChained.insertUs,
      keeps: 'every fact but the per-event UUID; one hash per commit of 256 updates',
    },
  ];
}
