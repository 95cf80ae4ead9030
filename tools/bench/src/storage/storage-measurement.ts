import { hash as oneShotHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTENT_SNAPSHOT, CONTENT_UPDATED } from '@concord/collab';
import { computeEventHash } from '@concord/integrity';
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
    /** Reading every row back in order and checking its chain (as `npm run verify` does), events per second. */
    readonly verifyEventsPerSecond: number;
    readonly verified: boolean;
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
      verifyEventsPerSecond: Math.round(alternative.verifyEventsPerSecond),
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
 *   links commit batches (one hash per group commit of 256 updates) instead of single events: each
 *   event's leaf hash (its binary fields and data) goes into the batch's Merkle root, so every event
 *   stays provable by an inclusion proof.
 * Each is then verified as `npm run verify` would: every row read back in order and its chain
 * recomputed and compared — `current` with the product's `computeEventHash` (canonical JSON), the
 * others with the binary hashes written at insert (node:crypto sha256) — timed as events/s.
 */
function compactLayouts(
  rows: readonly UpdateRow[],
  scratch: string,
): Array<{ layout: string; bytesPerUpdate: number; keeps: string; insertUsPerUpdate: number; verifyEventsPerSecond: number; verified: boolean }> {
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
  const open = (layout: string): { db: Database.Database; path: string } => {
    const path = join(scratch, `${layout}.db`);
    return { db: new Database(path), path };
  };
  const measure = (layout: string, schema: string, prepare: (db: Database.Database) => (index: number) => void): { bytes: number; insertUs: number } => {
    const { db, path } = open(layout);
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
  /** Times `check` over the layout's file opened afresh: events/s and whether every link held. */
  const verify = (layout: string, check: (db: Database.Database) => boolean): { eventsPerSecond: number; ok: boolean } => {
    const { db } = open(layout);
    try {
      const started = performance.now();
      const ok = check(db);
      return { eventsPerSecond: rows.length / ((performance.now() - started) / 1000), ok };
    } finally {
      db.close();
    }
  };
  const PAGE = 1_000;
  /** Rows of `sql` (ordered by position, `?` = position after, `?` = page size) a page at a time. */
  function* paged<T extends { position: number }>(db: Database.Database, sql: string): Generator<T> {
    const statement = db.prepare(sql);
    for (let after = -1; ; ) {
      const page = statement.all(after, PAGE) as T[];
      yield* page;
      if (page.length < PAGE) return;
      after = page[page.length - 1].position;
    }
  }
  /** `paged` for the binary layouts, rows as arrays (position first): no object per row. */
  function* pagedRaw(db: Database.Database, sql: string): Generator<unknown[]> {
    const statement = db.prepare(sql).raw(true);
    for (let after = -1; ; ) {
      const page = statement.all(after, PAGE) as unknown[][];
      yield* page;
      if (page.length < PAGE) return;
      after = page[page.length - 1][0] as number;
    }
  }

  const current = measure(
    'current',
    `CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT NOT NULL, revision INTEGER NOT NULL,
       id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, is_binary INTEGER NOT NULL, data BLOB NOT NULL, metadata TEXT NOT NULL,
       UNIQUE (stream, revision));`,
    (db) => {
      const statement = db.prepare('INSERT INTO events (position, stream, revision, id, type, is_binary, data, metadata) VALUES (?, ?, ?, ?, ?, 1, ?, ?)');
      return (index) => {
        const { row } = parsed[index];
        statement.run(row.position, row.stream, row.revision, row.id, row.type, row.data, row.metadata);
      };
    },
  );
  const currentVerify = verify('current', (db) => {
    let previous: string | null = null;
    for (const row of paged<UpdateRow>(db, 'SELECT position, stream, revision, type, data, metadata FROM events WHERE position > ? ORDER BY position LIMIT ?')) {
      const metadata = JSON.parse(row.metadata) as Record<string, unknown>;
      const prevHash = metadata['prevHash'] as string;
      if (previous !== null && prevHash !== previous) return false;
      const hash = computeEventHash({ prevHash, stream: row.stream, revision: row.revision, type: row.type, data: new Uint8Array(row.data), metadata });
      if (hash !== metadata['hash']) return false;
      previous = hash;
    }
    return true;
  });

  /** The binary layouts' fields of one event, fixed width, then its data: what their hashes cover. */
  const fields = (revision: number, user: number, atMs: number, contentRevision: number, kind: number, clientId: number | null): Buffer => {
    const buffer = Buffer.alloc(8 * 6);
    [revision, 1, user, atMs, contentRevision, kind * 2 ** 32 + (clientId ?? 0)].forEach((value, index) => buffer.writeDoubleBE(value, index * 8));
    return buffer;
  };
  // One-shot sha256 of the parts concatenated (node:crypto `hash`, cheaper than a Hash object per event).
  const sha256 = (...parts: Uint8Array[]): Buffer => oneShotHash('sha256', Buffer.concat(parts), 'buffer') as unknown as Buffer;
  const ZERO: Buffer = Buffer.alloc(32);

  // Per-event chain over the binary fields, computed at insert as a store would.
  const binaryHashes: Buffer[] = [];
  parsed.forEach((entry, index) => {
    const previous = index === 0 ? ZERO : binaryHashes[index - 1];
    binaryHashes.push(sha256(previous, fields(entry.row.revision, entry.user, entry.atMs, entry.contentRevision, entry.kind, entry.clientId), entry.row.data));
  });
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
        statement.run(entry.row.position, entry.row.revision, entry.id, entry.row.data, entry.user, entry.atMs, entry.contentRevision, entry.kind, entry.clientId, binaryHashes[index]);
      };
    },
  );
  const BINARY_COLUMNS = 'position, revision, user_id, at_ms, content_revision, kind, client_id, data';
  const rowFields = (row: unknown[]): Buffer =>
    fields(row[1] as number, row[2] as number, row[3] as number, row[4] as number, row[5] as number, row[6] as number | null);
  const binaryVerify = verify('binary', (db) => {
    let previous: Buffer = ZERO;
    for (const row of pagedRaw(db, `SELECT ${BINARY_COLUMNS}, hash FROM events WHERE position > ? ORDER BY position LIMIT ?`)) {
      const hash = sha256(previous, rowFields(row), row[7] as Buffer);
      if (!hash.equals(row[8] as Buffer)) return false;
      previous = hash;
    }
    return true;
  });

  // One hash per commit batch: a Merkle root over the batch's leaf hashes, chained to the previous batch.
  const BATCH = 256;
  const LEAF = Buffer.from([0]);
  const NODE = Buffer.from([1]);
  const merkleRoot = (leaves: Buffer[]): Buffer => {
    let level = leaves;
    while (level.length > 1) {
      const next: Buffer[] = [];
      for (let index = 0; index < level.length; index += 2) next.push(index + 1 < level.length ? sha256(NODE, level[index], level[index + 1]) : level[index]);
      level = next;
    }
    return level[0] ?? ZERO;
  };
  const batchHashes = new Map<number, Buffer>();
  {
    let previous: Buffer = ZERO;
    for (let from = 0; from < parsed.length; from += BATCH) {
      const batch = parsed.slice(from, from + BATCH);
      const root = merkleRoot(batch.map((entry) => sha256(LEAF, fields(entry.row.revision, entry.user, entry.atMs, entry.contentRevision, entry.kind, entry.clientId), entry.row.data)));
      previous = sha256(previous, root);
      batchHashes.set(from + batch.length - 1, previous);
    }
  }
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
        const batchHash = batchHashes.get(index);
        if (batchHash) commit.run(entry.row.revision, entry.id, batchHash);
      };
    },
  );
  const batchVerify = verify('batch-chained', (db) => {
    const commits = db.prepare('SELECT last_revision, hash FROM commits ORDER BY last_revision').all() as Array<{ last_revision: number; hash: Buffer }>;
    let previous: Buffer = ZERO;
    let leaves: Buffer[] = [];
    let next = 0;
    for (const row of pagedRaw(db, `SELECT ${BINARY_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`)) {
      leaves.push(sha256(LEAF, rowFields(row), row[7] as Buffer));
      if (commits[next]?.last_revision === row[1]) {
        previous = sha256(previous, merkleRoot(leaves));
        if (!previous.equals(commits[next].hash)) return false;
        leaves = [];
        next += 1;
      }
    }
    return leaves.length === 0 && next === commits.length;
  });

  return [
    {
      layout: 'current',
      bytesPerUpdate: current.bytes,
      insertUsPerUpdate: current.insertUs,
      verifyEventsPerSecond: currentVerify.eventsPerSecond,
      verified: currentVerify.ok,
      keeps: "today's events table (reference)",
    },
    {
      layout: 'binary',
      bytesPerUpdate: binary.bytes,
      insertUsPerUpdate: binary.insertUs,
      verifyEventsPerSecond: binaryVerify.eventsPerSecond,
      verified: binaryVerify.ok,
      keeps: 'every fact and per-event hash chain, binary-encoded',
    },
    {
      layout: 'batch-chained',
      bytesPerUpdate: batchChained.bytes,
      insertUsPerUpdate: batchChained.insertUs,
      verifyEventsPerSecond: batchVerify.eventsPerSecond,
      verified: batchVerify.ok,
      keeps: 'every fact but the per-event UUID; one Merkle root per commit of 256 updates, chained',
    },
  ];
}
