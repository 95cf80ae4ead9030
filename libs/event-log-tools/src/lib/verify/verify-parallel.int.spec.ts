import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type StreamInfo, SqliteEventStore } from '@concord/event-store';
import { createSqliteTamperer, seedRealisticLog, type HistoryTamperer } from '@concord/event-store/testing';
import { verifyEventStore, type VerifyReport } from './verify-event-store';
import { verifyEventStoreInParallel } from './verify-parallel';

/**
 * `npm run verify`'s parallel check against the single pass, on copies of one SQLite log edited at
 * random behind the store's back (seeded): whatever the edit, the range size, the number of threads
 * and whether this thread takes part, both name the same first break and count the same events.
 */

/** A seeded 32-bit LCG kept exact with Math.imul, read from its high bits. */
function seededRandom(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * n);
  };
}

/** The part of a parallel report that the single pass also gives. */
const chainReportOf = ({ ok, streamsChecked, eventsChecked, firstBreak }: VerifyReport): VerifyReport => ({ ok, streamsChecked, eventsChecked, firstBreak });

type Edit = (tamper: HistoryTamperer, stream: StreamInfo, random: (n: number) => number) => Promise<string>;

const edits: Edit[] = [
  async (t, s, r) => {
    const revision = r(s.lastRevision + 1);
    await t.flipDataByte(s.stream, revision);
    return `flip a data byte of ${s.stream}@${revision}`;
  },
  async (t, s, r) => {
    const revision = r(s.lastRevision + 1);
    await t.setMetadataField(s.stream, revision, 'userId', 'intruder');
    return `change the user of ${s.stream}@${revision}`;
  },
  async (t, s, r) => {
    const revision = r(s.lastRevision + 1);
    await t.deleteEvent(s.stream, revision);
    return `delete ${s.stream}@${revision}`;
  },
  async (t, s, r) => {
    if (s.lastRevision < 1) return 'nothing (a stream of one event cannot be reordered)';
    const revision = r(s.lastRevision);
    await t.swapOrder(s.stream, revision, revision + 1);
    return `swap ${s.stream}@${revision} and @${revision + 1}`;
  },
  async (t, s, r) => {
    if (s.lastRevision < 1) return 'nothing (a stream of one event has no payloads to swap)';
    const revision = r(s.lastRevision);
    await t.swapPayloads(s.stream, revision, revision + 1);
    return `swap the payloads of ${s.stream}@${revision} and @${revision + 1}`;
  },
  async (t, _s, r) => {
    const count = 1 + r(5);
    await t.truncateTail(count);
    return `truncate the last ${count} events`;
  },
  async (t, s, r) => {
    const revision = 1 + r(Math.max(1, s.lastRevision));
    await t.insertForgedEvent(s.stream, revision, { id: `forged-${revision}`, type: 'ContentUpdated', data: new Uint8Array([1, 2, 3]), userId: 'drafter-1', at: '2026-03-02T08:00:05.000Z' });
    return `insert a forged event at ${s.stream}@${revision}`;
  },
  async () => 'nothing',
];

describe('verifyEventStoreInParallel against verifyEventStore on SQLite', () => {
  let directory: string;
  let original: string;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'concord-parallel-verify-'));
    original = join(directory, 'original.sqlite');
    const store = new SqliteEventStore(original);
    await seedRealisticLog(store, { proposals: 3, updatesPerProposal: 40, checkpointEvery: 7 });
    await store.close();
  });

  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('names the same first break and counts the same events after random edits (seeded)', async () => {
    const random = seededRandom(2026);
    const seen = { broken: 0, intact: 0, byWorkers: 0, onBothThreads: 0 };
    for (let trial = 0; trial < 24; trial += 1) {
      const file = join(directory, `trial-${trial}.sqlite`);
      copyFileSync(original, file);
      const store = new SqliteEventStore(file);
      try {
        // a stream drawn in proportion to its length: most events sit in long content streams
        const streams = await store.listStreams();
        let drawn = random(streams.reduce((sum, head) => sum + head.lastRevision + 1, 0));
        const stream = streams.find((head) => (drawn -= head.lastRevision + 1) < 0) as StreamInfo;
        const what = await edits[random(edits.length)](createSqliteTamperer(file), stream, random);
        const single = await verifyEventStore(store);
        const checkOnThisThread = random(2) === 0;
        const parallel = await verifyEventStoreInParallel(store, {
          source: { sqliteFile: file },
          threads: 2 + random(2),
          rangeSize: 1 + random(12),
          minEventsForThreads: 0,
          checkOnThisThread,
        });
        expect({ trial, what, report: chainReportOf(parallel) }).toEqual({ trial, what, report: single });
        expect(parallel.note).toBeNull();
        seen[single.ok ? 'intact' : 'broken'] += 1;
        if (parallel.rangesOnWorkers > 0) seen.byWorkers += 1;
        if (parallel.threadsUsed > 1) seen.onBothThreads += 1;
        if (!checkOnThisThread) expect(parallel.rangesOnWorkers).toBe(parallel.rangesChecked);
      } finally {
        await store.close();
      }
    }
    // the trials reached both outcomes, and the workers checked ranges
    expect(seen.broken).toBeGreaterThan(4);
    expect(seen.intact).toBeGreaterThan(0);
    expect(seen.byWorkers).toBeGreaterThan(4);
  });

  it('opens the store in the workers from the environment, as npm run verify configures them', async () => {
    const dataDir = join(directory, 'data');
    mkdirSync(dataDir);
    copyFileSync(original, join(dataDir, 'concord.sqlite'));
    const store = new SqliteEventStore(join(dataDir, 'concord.sqlite'));
    try {
      const single = await verifyEventStore(store);
      const parallel = await verifyEventStoreInParallel(store, {
        source: { env: { EVENT_STORE: 'sqlite', DATA_DIR: dataDir } },
        threads: 2,
        rangeSize: 10,
        minEventsForThreads: 0,
        checkOnThisThread: false,
      });
      expect(chainReportOf(parallel)).toEqual(single);
      expect(parallel).toMatchObject({ ok: true, note: null, threadsUsed: 1, rangesOnWorkers: parallel.rangesChecked });
      expect(parallel.rangesChecked).toBeGreaterThan(single.streamsChecked);
    } finally {
      await store.close();
    }
  });

  it('checks on this thread, and says why, when no worker can open the store', async () => {
    const store = new SqliteEventStore(original);
    try {
      const single = await verifyEventStore(store);
      const parallel = await verifyEventStoreInParallel(store, {
        source: { env: { EVENT_STORE: 'no-such-store' } },
        threads: 2,
        rangeSize: 5,
        minEventsForThreads: 0,
        checkOnThisThread: false,
      });
      expect(chainReportOf(parallel)).toEqual(single);
      expect(single.ok).toBe(true);
      expect(parallel).toMatchObject({ threadsUsed: 1, rangesOnWorkers: 0 });
      expect(parallel.note).toContain('Unknown EVENT_STORE "no-such-store"');
    } finally {
      await store.close();
    }
  });

  it('checks a small log, or one with no source for workers, on this thread alone', async () => {
    const store = new SqliteEventStore(original);
    try {
      const small = await verifyEventStoreInParallel(store, { source: { sqliteFile: original }, threads: 4 });
      expect(small).toMatchObject({ ok: true, threadsUsed: 1, rangesOnWorkers: 0, note: null });
      const sourceless = await verifyEventStoreInParallel(store, { threads: 4, minEventsForThreads: 0 });
      expect(sourceless).toMatchObject({ ok: true, threadsUsed: 1, rangesOnWorkers: 0 });
      expect(sourceless.note).toContain('no source');
    } finally {
      await store.close();
    }
  });
});
