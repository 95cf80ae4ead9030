import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** One row of `events` as the writer inserts it: stream, revision, id, type, is_binary, data, metadata. */
export type WriterRow = [string, number, string, string, 0 | 1, Uint8Array | string, string];
/** One `streams` head: stream, last revision, last hash, index (in the batch's rows) of its last event. */
export type WriterHead = [string, number, string, number];

type WriterReply = { id: number; ok: true; positions: number[] } | { id: number; ok: false; message: string; code?: string };

/**
 * The writer's code, plain JavaScript run by `new Worker(source, { eval: true })`: no file of ours
 * to find at run time, so it works the same under ts-node/jest and in the bundled API. It needs only
 * better-sqlite3, required from the process's entry point or working directory (where the main
 * thread found it too). It opens its own connection with the pragmas of openSqliteDatabase and runs
 * every batch as ONE transaction (BEGIN IMMEDIATE, inserts, head upserts, COMMIT = one fsync),
 * replying with the position (rowid) of each inserted row.
 */
const WRITER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
function loadDriver() {
  for (const from of workerData.requireFrom) {
    try { return createRequire(from)('better-sqlite3'); } catch (error) { /* try the next place */ }
  }
  return require('better-sqlite3');
}
const Database = loadDriver();
const db = new Database(workerData.filename);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const insertEvent = db.prepare(
  'INSERT INTO events (stream, revision, id, type, is_binary, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)');
const upsertHead = db.prepare(
  'INSERT INTO streams (stream, last_revision, last_hash, last_position) VALUES (?, ?, ?, ?) ' +
  'ON CONFLICT (stream) DO UPDATE SET last_revision = excluded.last_revision, ' +
  'last_hash = excluded.last_hash, last_position = excluded.last_position');
const commitBatch = db.transaction((rows, heads) => {
  const positions = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const data = typeof row[5] === 'string' ? row[5] : Buffer.from(row[5].buffer, row[5].byteOffset, row[5].byteLength);
    positions[i] = Number(insertEvent.run(row[0], row[1], row[2], row[3], row[4], data, row[6]).lastInsertRowid);
  }
  for (const head of heads) upsertHead.run(head[0], head[1], head[2], positions[head[3]]);
  return positions;
});
parentPort.on('message', (message) => {
  if (message.type === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    parentPort.postMessage({ id: message.id, ok: true, positions: commitBatch.immediate(message.rows, message.heads) });
  } catch (error) {
    parentPort.postMessage({ id: message.id, ok: false, message: String((error && error.message) || error), code: error && error.code });
  }
});
`;

/**
 * The SQLite file's writer on a worker thread: `commit` hands it one batch of rows and heads and
 * resolves with their positions once the transaction is durable; the event loop of the main thread
 * keeps running meanwhile. One commit at a time (the caller's pipeline guarantees it). If the worker
 * dies, the commit in flight rejects and the next commit starts a new worker.
 */
export class SqliteWriterThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private inFlight: { id: number; resolve: (positions: number[]) => void; reject: (error: Error) => void } | null = null;

  constructor(private readonly filename: string) {}

  commit(rows: WriterRow[], heads: WriterHead[]): Promise<number[]> {
    if (this.inFlight) return Promise.reject(new Error('The SQLite writer thread already has a commit in flight'));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    // Referenced while a commit is in flight, so that the process waits for it.
    worker.ref();
    return new Promise<number[]>((resolve, reject) => {
      this.inFlight = { id, resolve, reject };
      worker.postMessage({ type: 'commit', id, rows, heads });
    });
  }

  /** Closes the writer's connection and waits for the thread to end. Call with no commit in flight. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    worker.ref();
    await new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.postMessage({ type: 'close' });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WRITER_SOURCE, {
      eval: true,
      // Not the process's flags: a preloaded module (`node -r`, e.g. the load benchmark's probe)
      // or --inspect is for the main thread, not for the writer.
      execArgv: [],
      workerData: {
        filename: this.filename,
        requireFrom: [process.argv[1], join(process.cwd(), 'index.js')].filter((from): from is string => !!from),
      },
    });
    worker.on('message', (reply: WriterReply) => {
      const pending = this.inFlight;
      if (!pending || pending.id !== reply.id) return;
      this.inFlight = null;
      worker.unref();
      if (reply.ok) pending.resolve(reply.positions);
      else pending.reject(Object.assign(new Error(reply.message), { code: reply.code }));
    });
    const died = (error: Error): void => {
      if (this.worker === worker) this.worker = null;
      const pending = this.inFlight;
      this.inFlight = null;
      pending?.reject(error);
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`The SQLite writer thread exited (code ${code})`)));
    // An idle writer must not keep the process alive; a commit in flight references it.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}
