import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { compareStreamNames, streamHeadsMerkleRoot } from '@concord/integrity';
import { type HistoryTamperer, createPostgresTamperer, seedRealisticLog, createSqliteTamperer } from '@concord/event-store/testing';
import { type EventData, type EventStore, type RecordedEvent, PostgresEventStore, SqliteEventStore } from '@concord/event-store';
import { verifyEventStore, type VerifyReport } from './verify-event-store';
import { verifyEventStoreInParallel, type VerifyStoreSource } from './verify-parallel';
import { CHECKPOINT_EVENT_TYPE, checkpointEventData, CHECKPOINT_STREAM, signCheckpoint, SignedCheckpoint, verifyCheckpoint } from '../checkpoint/checkpoint';
import { scanStreamHeadsAt } from '../checkpoint/stream-heads';

/**
 * The tamper table of the issue ("Trust and operations", part 5), on copies of one stored log per
 * adapter: the first eight edits are found by the chain check alone, naming stream and revision;
 * a consistent rewrite of a whole stream (every hash and the head record recomputed) passes the
 * chain check and is found only with the held checkpoint, naming the stream.
 */

interface StoredLog {
  /** A fresh copy of the original log: a store on it, raw access to its storage, and where worker threads open it. */
  copy(): Promise<{ store: EventStore; tamper: HistoryTamperer; source: VerifyStoreSource }>;
  cleanup(): Promise<void>;
}

type Adapter = [name: string, open: () => Promise<{ store: EventStore; freeze: () => Promise<StoredLog> }>];

const databaseUrl = process.env['DATABASE_URL'];

const sqlite: Adapter = [
  'sqlite',
  async () => {
    const directory = mkdtempSync(join(tmpdir(), 'concord-tamper-'));
    const original = join(directory, 'original.sqlite');
    const store = new SqliteEventStore(original);
    return {
      store,
      freeze: async () => {
        await store.close(); // checkpoints the WAL into the file
        const opened: EventStore[] = [];
        let copies = 0;
        return {
          copy: async () => {
            const file = join(directory, `copy-${(copies += 1)}.sqlite`);
            copyFileSync(original, file);
            const copy = new SqliteEventStore(file);
            opened.push(copy);
            return { store: copy, tamper: createSqliteTamperer(file), source: { sqliteFile: file } };
          },
          cleanup: async () => {
            await Promise.all(opened.map((copy) => copy.close()));
            rmSync(directory, { recursive: true, force: true });
          },
        };
      },
    };
  },
];

const postgres: Adapter = [
  'postgres',
  async () => {
    const url = databaseUrl as string;
    const prefix = `tamper_${randomBytes(4).toString('hex')}`;
    const store = new PostgresEventStore(url, { schema: `${prefix}_original` });
    return {
      store,
      freeze: async () => {
        await store.close();
        const admin = new Client({ connectionString: url });
        await admin.connect();
        const opened: EventStore[] = [];
        const schemas = [`${prefix}_original`];
        return {
          copy: async () => {
            const schema = `${prefix}_copy_${schemas.length}`;
            schemas.push(schema);
            // A raw copy of both tables, as a backup restored into another schema would be.
            await admin.query(`
              CREATE SCHEMA "${schema}";
              CREATE TABLE "${schema}".events (LIKE "${prefix}_original".events INCLUDING CONSTRAINTS INCLUDING INDEXES);
              INSERT INTO "${schema}".events SELECT * FROM "${prefix}_original".events;
              CREATE TABLE "${schema}".streams (LIKE "${prefix}_original".streams INCLUDING ALL);
              INSERT INTO "${schema}".streams SELECT * FROM "${prefix}_original".streams;`);
            const copy = new PostgresEventStore(url, { schema });
            opened.push(copy);
            return { store: copy, tamper: createPostgresTamperer(url, schema), source: { postgres: { url, schema } } };
          },
          cleanup: async () => {
            await Promise.all(opened.map((copy) => copy.close()));
            for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
            await admin.end();
          },
        };
      },
    };
  },
];

if (!databaseUrl) console.warn('SKIP postgres tamper-detection table: DATABASE_URL is not set');
const adapters: Adapter[] = databaseUrl ? [sqlite, postgres] : [sqlite];

const TARGET = 'proposal-p1-content';
const reversed = (data: EventData) => (data instanceof Uint8Array ? new Uint8Array([...data].reverse()) : data);

type Expectation =
  | { by: 'chain'; stream: string; revision: number }
  | { by: 'checkpoint'; stream: string };

interface TamperCase {
  what: string;
  tamper: (tamper: HistoryTamperer, original: RecordedEvent[]) => Promise<void>;
  expected: (original: RecordedEvent[]) => Expectation;
}

const cases: TamperCase[] = [
  { what: 'change a data byte', tamper: (t) => t.flipDataByte(TARGET, 3), expected: () => ({ by: 'chain', stream: TARGET, revision: 3 }) },
  {
    what: 'change metadata (correlationId)',
    tamper: (t) => t.setMetadataField(TARGET, 2, 'correlationId', 'forged-correlation'),
    expected: () => ({ by: 'chain', stream: TARGET, revision: 2 }),
  },
  {
    what: 'change the user',
    tamper: (t) => t.setMetadataField(TARGET, 4, 'userId', 'intruder'),
    expected: () => ({ by: 'chain', stream: TARGET, revision: 4 }),
  },
  {
    what: 'change the time',
    tamper: (t) => t.setMetadataField(TARGET, 1, 'at', '2020-01-01T00:00:00.000Z'),
    expected: () => ({ by: 'chain', stream: TARGET, revision: 1 }),
  },
  { what: 'delete an event', tamper: (t) => t.deleteEvent(TARGET, 2), expected: () => ({ by: 'chain', stream: TARGET, revision: 2 }) },
  {
    what: 'insert a forged event (correctly hashed on its predecessor)',
    tamper: (t) =>
      t.insertForgedEvent(TARGET, 2, { id: 'forged-1', type: 'ContentUpdated', data: new Uint8Array([1, 2, 3]), userId: 'drafter-1', at: '2026-03-02T08:00:05.000Z' }),
    // The forged event itself chains; the event it displaced no longer does.
    expected: () => ({ by: 'chain', stream: TARGET, revision: 3 }),
  },
  { what: 'swap two events', tamper: (t) => t.swapOrder(TARGET, 2, 3), expected: () => ({ by: 'chain', stream: TARGET, revision: 2 }) },
  {
    what: 'truncate the tail of the log (3 events)',
    tamper: (t) => t.truncateTail(3),
    expected: (original) => {
      // verify goes through streams in name order: the first stream that lost its tail is named.
      const removed = original.slice(-3).sort((a, b) => compareStreamNames(a.stream, b.stream) || a.revision - b.revision);
      return { by: 'chain', stream: removed[0].stream, revision: removed[0].revision };
    },
  },
  {
    what: 'rewrite a whole stream consistently after a checkpoint',
    tamper: (t) => t.rewriteStreamConsistently(TARGET, 1, reversed),
    expected: () => ({ by: 'checkpoint', stream: TARGET }),
  },
];

describe.each(adapters)('tamper detection on copies of a stored log: %s', (_name, open) => {
  let log: StoredLog;
  let original: RecordedEvent[];
  let held: SignedCheckpoint;

  beforeAll(async () => {
    const { store, freeze } = await open();
    await seedRealisticLog(store, { proposals: 3, updatesPerProposal: 12, checkpointEvery: 5 });
    // The API signs a checkpoint (an auditor keeps it), then the log goes on.
    const position = await store.headPosition();
    const heads = await scanStreamHeadsAt(store, position, { exclude: [CHECKPOINT_STREAM] });
    const { privateKey } = generateKeyPairSync('ed25519');
    const signed = signCheckpoint(
      { globalPosition: position, merkleRoot: streamHeadsMerkleRoot(heads), streamCount: heads.length, at: new Date().toISOString() },
      privateKey,
    );
    await store.append(CHECKPOINT_STREAM, [
      { id: 'checkpoint-1', type: CHECKPOINT_EVENT_TYPE, data: checkpointEventData(signed), metadata: { userId: 'system' } },
    ]);
    held = { ...signed, heads };
    await store.append(TARGET, [{ id: 'after-1', type: 'ContentUpdated', data: new Uint8Array([9]), metadata: { userId: 'drafter-2' } }]);
    await store.append('proposal-p2', [{ id: 'after-2', type: 'VersionNamed', data: { label: 'after' }, metadata: { userId: 'drafter-2' } }]);
    original = await store.readAll();
    log = await freeze();
  });

  afterAll(async () => {
    await log?.cleanup();
  });

  it('an untouched copy passes the chain check and extends the held checkpoint', async () => {
    const { store, source } = await log.copy();
    const chain = await verifyEventStore(store);
    expect(chain).toMatchObject({ ok: true, eventsChecked: original.length });
    // every stream checked, the long ones as several ranges
    expect((await expectSameOnWorkers(store, source, chain)).rangesChecked).toBeGreaterThan(chain.streamsChecked);
    expect(await verifyCheckpoint(store, held, { trustedPublicKey: held.publicKey })).toMatchObject({ ok: true, problems: [] });
  });

  it.each(cases.map((entry) => [entry.what, entry] as const))('%s', async (_what, { tamper, expected }) => {
    const { store, tamper: tamperer, source } = await log.copy();
    await tamper(tamperer, original);
    const expectation = expected(original);
    const chain = await verifyEventStore(store);
    await expectSameOnWorkers(store, source, chain);
    const checkpoint = await verifyCheckpoint(store, held, { trustedPublicKey: held.publicKey });

    if (expectation.by === 'chain') {
      expect(chain.ok).toBe(false);
      expect(chain.firstBreak).toMatchObject({ stream: expectation.stream, revision: expectation.revision });
    } else {
      // Invisible to the chain check…
      expect(chain).toMatchObject({ ok: true, firstBreak: null });
      // …but not to the held checkpoint, which names the stream whose head differs.
      expect(checkpoint.ok).toBe(false);
      expect(checkpoint.signature.ok).toBe(true);
      expect(checkpoint.differences.map((difference) => difference.stream)).toEqual([expectation.stream]);
      expect(checkpoint.problems[0]).toContain(`stream ${expectation.stream}: head as of position ${held.globalPosition}`);
    }
  });
});

/**
 * `npm run verify`'s parallel check finds exactly what the single pass found: here with ranges of
 * three revisions (every stream of the log cut, each range seeded from the event before it), all
 * checked by two worker threads on their own connections.
 */
async function expectSameOnWorkers(store: EventStore, source: VerifyStoreSource, single: VerifyReport): Promise<{ rangesChecked: number }> {
  const parallel = await verifyEventStoreInParallel(store, {
    source,
    threads: 3,
    rangeSize: 3,
    minEventsForThreads: 0,
    checkOnThisThread: false,
  });
  const { ok, streamsChecked, eventsChecked, firstBreak } = parallel;
  expect({ ok, streamsChecked, eventsChecked, firstBreak }).toEqual(single);
  expect(parallel.note).toBeNull();
  expect(parallel.rangesOnWorkers).toBe(parallel.rangesChecked);
  expect(parallel.rangesOnWorkers).toBeGreaterThan(0);
  return parallel;
}
