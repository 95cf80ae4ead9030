import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CollabServer, CONTENT_SNAPSHOT, createCollabServer, snapshotStreamOf } from '@concord/collab';
import { SqliteEventStore } from '@concord/event-store';
import Database from 'better-sqlite3';
import { countingLogger, CountingLogger } from '../bench-logger';

export const HISTORY_PROPOSAL = 'bench-history';
export const HISTORY_AUTHOR = 'user-drafter1';
/** Updates handed to the server at once; one append (one fsync) records up to 256 of them. */
const IN_FLIGHT = 256;
/** How many checkpoint intervals the writer may run ahead of the newest written checkpoint. */
const CHECKPOINT_LAG_LIMIT = 2;
const CHECKPOINT_WAIT_LIMIT_MS = 10 * 60_000;

export interface HistoryStore {
  readonly checkpointEvery: number;
  readonly file: string;
  readonly store: SqliteEventStore;
  /** A collab server opened after the history was written (as an API node would be). */
  readonly collab: CollabServer;
  readonly writeMs: number;
  /** Of writeMs, time the writer waited for the checkpoint writer to catch up. */
  readonly throttledMs: number;
  /** From the last update recorded to the last checkpoint written (checkpoints are off the hot path). */
  readonly checkpointLagMs: number;
  readonly checkpoints: number;
  readonly logger: CountingLogger;
  close(): Promise<void>;
}

function stubbedServer(store: SqliteEventStore, checkpointEvery: number, logger: CountingLogger): CollabServer {
  return createCollabServer({
    store,
    checkpointEvery,
    logger,
    authenticate: async () => null,
    authorize: async () => 'forbidden',
  });
}

/**
 * Records the whole trace, in order, through `ProposalContent.appendUpdate` (the path seeding and
 * restore use: validate, prepare, group-committed append, apply), on a SQLite file with a
 * checkpoint every `checkpointEvery` updates, and waits until every checkpoint is written.
 *
 * The writer keeps at most CHECKPOINT_LAG_LIMIT intervals ahead of the newest written checkpoint,
 * as a document typed at human speed always is. Unthrottled, the checkpoint writer falls behind, and
 * since it reads the stream backwards from its head (not from revision r), each checkpoint then
 * re-reads the whole backlog, checkpoints included: recording slows quadratically (see README).
 */
export async function writeHistory(
  updates: readonly Uint8Array[],
  checkpointEvery: number,
  progress: (line: string) => void,
): Promise<HistoryStore> {
  const directory = mkdtempSync(join(tmpdir(), 'concord-bench-history-'));
  const file = join(directory, 'events.db');
  const store = new SqliteEventStore(file);
  const logger = countingLogger();
  const writer = stubbedServer(store, checkpointEvery, logger);
  await writer.ready;
  const checkpoints = new CheckpointWatch(file, HISTORY_PROPOSAL);
  const started = performance.now();
  let throttledMs = 0;
  let lastLine = Date.now();
  for (let offset = 0; offset < updates.length; offset += IN_FLIGHT) {
    const waitFrom = performance.now();
    while (offset - checkpoints.newestRevision() > CHECKPOINT_LAG_LIMIT * checkpointEvery && performance.now() - waitFrom < CHECKPOINT_WAIT_LIMIT_MS) {
      await sleep(5);
    }
    throttledMs += performance.now() - waitFrom;
    const chunk = updates.slice(offset, offset + IN_FLIGHT);
    const revisions = await Promise.all(
      chunk.map((update) => writer.content.appendUpdate(HISTORY_PROPOSAL, update, { userId: HISTORY_AUTHOR, kind: 'edit' })),
    );
    revisions.forEach((revision, index) => {
      if (revision !== offset + index + 1) throw new Error(`update ${offset + index + 1} was recorded as revision ${revision}`);
    });
    if (Date.now() - lastLine >= 5_000) {
      lastLine = Date.now();
      progress(`  K=${checkpointEvery}: ${(offset + chunk.length).toLocaleString('en')}/${updates.length.toLocaleString('en')} updates recorded`);
    }
  }
  const writeMs = performance.now() - started;
  const lastCheckpoint = Math.floor(updates.length / checkpointEvery) * checkpointEvery;
  const deadline = Date.now() + CHECKPOINT_WAIT_LIMIT_MS;
  while (checkpoints.newestRevision() < lastCheckpoint && Date.now() < deadline) await sleep(20);
  const checkpointLagMs = performance.now() - started - writeMs;
  const written = checkpoints.count();
  checkpoints.close();
  await writer.close();
  const collab = stubbedServer(store, checkpointEvery, logger);
  await collab.ready;
  return {
    checkpointEvery,
    file,
    store,
    collab,
    writeMs,
    throttledMs,
    checkpointLagMs,
    checkpoints: written,
    logger,
    async close() {
      await collab.close();
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Reads the newest checkpoint of the stream on its own read-only connection (WAL), via the (stream, revision) index. */
class CheckpointWatch {
  private readonly db: Database.Database;
  private readonly newest: Database.Statement;
  private readonly total: Database.Statement;

  constructor(
    file: string,
    proposalId: string,
    private readonly stream = snapshotStreamOf(proposalId),
  ) {
    this.db = new Database(file, { readonly: true });
    this.newest = this.db.prepare(
      `SELECT json_extract(metadata, '$.revision') AS content_revision FROM events
       WHERE stream = ? AND type = ? ORDER BY events.revision DESC LIMIT 1`,
    );
    this.total = this.db.prepare('SELECT count(*) AS n FROM events WHERE stream = ? AND type = ?');
  }

  newestRevision(): number {
    const row = this.newest.get(this.stream, CONTENT_SNAPSHOT) as { content_revision: number } | undefined;
    return row?.content_revision ?? 0;
  }

  count(): number {
    return (this.total.get(this.stream, CONTENT_SNAPSHOT) as { n: number }).n;
  }

  close(): void {
    this.db.close();
  }
}
