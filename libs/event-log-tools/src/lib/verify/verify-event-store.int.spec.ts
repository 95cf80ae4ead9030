import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  MemoryEventStore,
  PostgresEventStore,
  SqliteEventStore,
  type EventData,
  type EventStore,
  type NewEvent,
} from '@concord/event-store';
import { createPostgresTamperer, createSqliteTamperer, type EventStoreTamperer } from '@concord/event-store/testing';
import { verifyEventStore } from './verify-event-store';

/**
 * verifyEventStore against each adapter: the report on an intact log, and the first break it names
 * after a raw edit of the adapter's storage (the tamperers bypass the store).
 */

interface Fixture {
  store: EventStore;
  tamper?: EventStoreTamperer;
  cleanup: () => Promise<void>;
}

const databaseUrl = process.env['DATABASE_URL'];

const adapters: Array<[name: string, open: () => Promise<Fixture>]> = [
  [
    'memory',
    async () => {
      const store = new MemoryEventStore();
      return { store, cleanup: () => store.close() };
    },
  ],
  [
    'sqlite',
    async () => {
      const directory = mkdtempSync(join(tmpdir(), 'concord-verify-'));
      const filename = join(directory, 'events.sqlite');
      const store = new SqliteEventStore(filename);
      return {
        store,
        tamper: createSqliteTamperer(filename),
        cleanup: async () => {
          await store.close();
          rmSync(directory, { recursive: true, force: true });
        },
      };
    },
  ],
];
if (databaseUrl) {
  adapters.push([
    'postgres',
    async () => {
      // A fresh schema per test, dropped afterwards.
      const schema = `verify_test_${randomBytes(6).toString('hex')}`;
      const store = new PostgresEventStore(databaseUrl, { schema });
      return {
        store,
        tamper: createPostgresTamperer(databaseUrl, schema),
        cleanup: async () => {
          await store.close();
          const admin = new Client({ connectionString: databaseUrl });
          await admin.connect();
          await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          await admin.end();
        },
      };
    },
  ]);
} else {
  console.warn('SKIP postgres verifyEventStore tests: DATABASE_URL is not set');
}

describe.each(adapters)('verifyEventStore: %s', (_name, open) => {
  let fixture: Fixture;
  let store: EventStore;

  beforeEach(async () => {
    fixture = await open();
    store = fixture.store;
  });

  afterEach(async () => {
    await fixture.cleanup();
  });

  it('reports every stream and event of an intact log, with progress per stream', async () => {
    await appendNumbered(store, 'proposal-1', 3);
    await store.append('proposal-1-content', [newEvent('ContentUpdated', randomBytes(100))]);
    const progress: string[] = [];
    const report = await verifyEventStore(store, { onProgress: (step) => progress.push(step.stream) });
    expect(report).toEqual({ ok: true, streamsChecked: 2, eventsChecked: 4, firstBreak: null });
    expect(progress).toEqual(['proposal-1', 'proposal-1-content']);
  });

  it('verifies an empty store', async () => {
    expect(await verifyEventStore(store)).toEqual({ ok: true, streamsChecked: 0, eventsChecked: 0, firstBreak: null });
  });

  // The server runs this check when an auditor asks (GET /api/audit/verify) on the event loop that
  // serves every co-editing socket of the node: a long log must not hold the loop for its whole run.
  it('leaves the event loop free between pages while it checks a long stream', async () => {
    const events = 20_000;
    for (let written = 0; written < events; written += 1_000) {
      await store.append(
        'proposal-1-content',
        Array.from({ length: 1_000 }, () => newEvent('ContentUpdated', randomBytes(17))),
      );
    }
    let ticks = 0;
    let last = performance.now();
    let longestGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      ticks += 1;
    }, 1);
    const started = performance.now();
    const report = await verifyEventStore(store, { pageSize: 500 });
    const took = performance.now() - started;
    clearInterval(timer);
    longestGap = Math.max(longestGap, performance.now() - last);
    expect(report).toMatchObject({ ok: true, eventsChecked: events });
    // 40 pages: the timer fires between them (not at all before the check yielded), and no gap
    // holds the loop for most of the run (the bounds leave room for a loaded CI machine)
    expect(ticks).toBeGreaterThanOrEqual(5);
    expect(longestGap).toBeLessThan(Math.max(100, took / 2));
  });

  it('leaves the event loop free while it checks many short streams', async () => {
    const streams = 2_000;
    for (let stream = 0; stream < streams; stream += 1) {
      await store.append(`proposal-${stream}`, [newEvent('VersionNamed', { label: `v${stream}` })]);
    }
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 1);
    const report = await verifyEventStore(store);
    clearInterval(timer);
    expect(report).toMatchObject({ ok: true, streamsChecked: streams, eventsChecked: streams });
    expect(ticks).toBeGreaterThanOrEqual(5);
  });
});

// The memory store has no storage to edit behind its back.
const tamperable = adapters.filter(([name]) => name !== 'memory');

describe.each(tamperable)('verifyEventStore after a raw edit of the storage: %s', (name, open) => {
  let fixture: Fixture;
  let store: EventStore;

  beforeEach(async () => {
    fixture = await open();
    store = fixture.store;
  });

  afterEach(async () => {
    await fixture.cleanup();
  });

  const target = 'proposal-1-content';

  /** An intact stream before and after the target in listStreams order, 4 events in the target. */
  const seed = async (): Promise<EventStoreTamperer> => {
    await appendNumbered(store, 'proposal-1', 3);
    await store.append(
      target,
      Array.from({ length: 4 }, (_, index) =>
        newEvent('ContentUpdated', randomBytes(64), { userId: `drafter-${index}`, clientId: 1000 + index }),
      ),
    );
    await appendNumbered(store, 'user-1', 2);
    expect((await verifyEventStore(store)).ok).toBe(true);
    if (!fixture.tamper) throw new Error(`the ${name} fixture gives no raw access to its storage`);
    return fixture.tamper;
  };

  const expectBreakAt = async (revision: number) => {
    const report = await verifyEventStore(store);
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject({ stream: target, revision });
    expect(report.firstBreak?.reason).toEqual(expect.any(String));
  };

  it('detects a changed data byte', async () => {
    await (await seed()).flipDataByte(target, 2);
    await expectBreakAt(2);
  });

  it('detects a changed byte in a JSON payload', async () => {
    await (await seed()).flipDataByte('proposal-1', 1);
    const report = await verifyEventStore(store);
    expect(report.firstBreak).toMatchObject({ stream: 'proposal-1', revision: 1 });
  });

  it('detects a changed user in the metadata', async () => {
    await (await seed()).setMetadataField(target, 1, 'userId', 'intruder');
    await expectBreakAt(1);
  });

  it('detects a changed time in the metadata', async () => {
    await (await seed()).setMetadataField(target, 1, 'at', '2020-01-01T00:00:00.000Z');
    await expectBreakAt(1);
  });

  it('detects two swapped payloads', async () => {
    await (await seed()).swapPayloads(target, 1, 2);
    await expectBreakAt(1);
  });

  it('detects two swapped events', async () => {
    await (await seed()).swapOrder(target, 1, 2);
    await expectBreakAt(1);
  });

  it('detects a deleted event in the middle of a stream', async () => {
    await (await seed()).deleteEvent(target, 2);
    await expectBreakAt(2);
  });

  it('detects a deleted tail event', async () => {
    await (await seed()).deleteEvent(target, 3);
    await expectBreakAt(3);
  });
});

function newEvent(
  type = 'Noted',
  data: EventData = { note: randomUUID() },
  metadata: NewEvent['metadata'] = { userId: 'drafter-1' },
): NewEvent {
  return { id: randomUUID(), type, data, metadata };
}

async function appendNumbered(store: EventStore, stream: string, count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    const current = await store.streamRevision(stream);
    await store.append(stream, [newEvent('Noted', { index })], { expectedRevision: current === -1 ? 'no_stream' : current });
  }
}
