import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CollabServer, CONTENT_CHECKPOINTED, createCollabServer } from '@concord/collab';
import { SqliteEventStore } from '@concord/event-store';
import Database from 'better-sqlite3';
import { countingLogger, CountingLogger } from '../bench-logger';

export const HISTORY_PROPOSAL = 'bench-history';
export const HISTORY_AUTHOR = 'user-drafter1';
/** Updates handed to the server at once; one append (one fsync) records up to 256 of them. */
const IN_FLIGHT = 256;
const CHECKPOINT_WAIT_LIMIT_MS = 10 * 60_000;

export interface HistoryStore {
  readonly checkpointEvery: number;
  readonly file: string;
  readonly store: SqliteEventStore;
  /** A collab server opened after the history was written (as an API node would be). */
  readonly collab: CollabServer;
  readonly writeMs: number;
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
  const started = performance.now();
  let lastLine = Date.now();
  for (let offset = 0; offset < updates.length; offset += IN_FLIGHT) {
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
  const expected = Math.floor(updates.length / checkpointEvery);
  const checkpoints = await waitForCheckpoints(file, expected, (count) =>
    progress(`  K=${checkpointEvery}: waiting for checkpoints, ${count}/${expected} written`),
  );
  const checkpointLagMs = performance.now() - started - writeMs;
  await writer.close();
  const collab = stubbedServer(store, checkpointEvery, logger);
  await collab.ready;
  return {
    checkpointEvery,
    file,
    store,
    collab,
    writeMs,
    checkpointLagMs,
    checkpoints,
    logger,
    async close() {
      await collab.close();
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

async function waitForCheckpoints(file: string, expected: number, report: (count: number) => void): Promise<number> {
  const reader = new Database(file, { readonly: true });
  try {
    const count = reader.prepare('SELECT count(*) AS n FROM events WHERE type = ?');
    const deadline = Date.now() + CHECKPOINT_WAIT_LIMIT_MS;
    let lastReport = Date.now();
    for (;;) {
      const written = (count.get(CONTENT_CHECKPOINTED) as { n: number }).n;
      if (written >= expected || Date.now() > deadline) return written;
      if (Date.now() - lastReport >= 5_000) {
        lastReport = Date.now();
        report(written);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    reader.close();
  }
}
