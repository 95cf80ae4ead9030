import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { chainReport } from '../../testing/chain-report';
import { EventStoreUnavailableError, IdempotencyConflictError, WrongExpectedRevisionError } from '../errors';
import type { NewEvent, RecordedEvent } from '../event-store.port';
import * as append from './postgres-append';
import { PostgresEventStore } from './postgres-event-store';
import { postgresTables } from './postgres-schema';

const databaseUrl = process.env['DATABASE_URL'];
const describeWithPostgres = databaseUrl ? describe : describe.skip;
if (!databaseUrl) console.warn('SKIP postgres group-commit specs: DATABASE_URL is not set');

function newEvent(data: Record<string, string | number> = { note: randomUUID() }): NewEvent {
  return { id: randomUUID(), type: 'Noted', data, metadata: { userId: 'u1' } };
}

/** The batch sizes appendBatchLocked was called with (group commit), from here on. */
function spyOnBatches(): { sizes: number[]; restore: () => void } {
  const sizes: number[] = [];
  const original = append.appendBatchLocked;
  const spy = jest.spyOn(append, 'appendBatchLocked').mockImplementation((client, tables, batch) => {
    sizes.push(batch.length);
    return original(client, tables, batch);
  });
  return { sizes, restore: () => spy.mockRestore() };
}

describeWithPostgres('PostgresEventStore group commit', () => {
  const url = databaseUrl as string;
  let admin: Client;
  let schema: string;
  const stores: PostgresEventStore[] = [];
  const open = (options: { groupCommit?: boolean; applicationName?: string } = {}): PostgresEventStore => {
    const store = new PostgresEventStore(
      { connectionString: url, application_name: options.applicationName },
      { schema, groupCommit: options.groupCommit },
    );
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    admin = new Client({ connectionString: url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin.end();
  });

  beforeEach(() => {
    schema = `event_store_gc_${randomBytes(6).toString('hex')}`;
  });

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it('commits appends queued behind a commit in flight as one batch, each checked alone', async () => {
    const store = open();
    await store.append('warm-up', [newEvent()]);
    const batches = spyOnBatches();
    try {
      await store.append('stream-3', [newEvent()]);
      // The first append starts a commit at once; the ones issued meanwhile queue behind it.
      const first = store.append('blocker', [newEvent()]);
      const queued = Array.from({ length: 10 }, (_, index) =>
        store.append(`stream-${index}`, [newEvent(), newEvent()], { expectedRevision: index === 3 ? 'no_stream' : 'any' }),
      );
      const outcomes = await Promise.allSettled([first, ...queued]);
      expect(batches.sizes.slice(1)).toEqual([1, 10]);
      expect(outcomes[0].status).toBe('fulfilled');
      outcomes.slice(1).forEach((outcome, index) => {
        if (index === 3) expect(outcome).toMatchObject({ status: 'rejected', reason: expect.any(WrongExpectedRevisionError) });
        else expect(outcome).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 1 } });
      });
      // Positions handed out in queue order, dense, each append's result the position of its last event.
      const all = await store.readAll();
      expect(all.map((event) => event.position)).toEqual(all.map((_, index) => index + 1));
      const written = outcomes.slice(2).filter((outcome) => outcome.status === 'fulfilled');
      const positions = written.map((outcome) => (outcome as PromiseFulfilledResult<{ position: number }>).value.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(await chainReport(store)).toEqual({ streams: 12, events: 1 + 1 + 1 + 9 * 2, breaks: [] });
      // Each stream's head records the position of its own last event (an empty append reports it).
      for (let index = 0; index < 10; index += 1) {
        const stream = `stream-${index}`;
        const last = all.filter((event) => event.stream === stream).pop() as RecordedEvent;
        await expect(store.append(stream, [])).resolves.toEqual({ nextExpectedRevision: last.revision, position: last.position });
      }
    } finally {
      batches.restore();
    }
  });

  it('replays and chains inside one batch: same ids twice, then more appends to the same stream', async () => {
    const store = open();
    const batches = spyOnBatches();
    try {
      const [a, b, c, d] = [newEvent(), newEvent(), newEvent(), newEvent()];
      const outcomes = await Promise.allSettled([
        store.append('blocker', [newEvent()]),
        store.append('s', [a, b], { expectedRevision: 'no_stream' }),
        store.append('s', [a, b], { expectedRevision: 'no_stream' }),
        store.append('s', [b], { expectedRevision: 5 }),
        store.append('other', [c]),
        store.append('s', [c]),
        store.append('s', [d], { expectedRevision: 1 }),
        store.append('s', [], { expectedRevision: 2 }),
      ]);
      expect(batches.sizes).toEqual([1, 7]);
      const [, first, replay, tailReplay, other, conflict, next, empty] = outcomes;
      expect(first).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 1 } });
      expect(replay).toEqual(first);
      // A replay of the batch's tail is not checked against the (stale) expected revision.
      expect(tailReplay).toEqual(first);
      expect(other).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 0 } });
      expect(conflict).toMatchObject({ status: 'rejected', reason: expect.any(IdempotencyConflictError) });
      expect(next).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 2 } });
      expect(empty).toEqual(next);

      const events = await store.readStream('s');
      expect(events.map((event) => event.id)).toEqual([a.id, b.id, d.id]);
      expect((first as PromiseFulfilledResult<{ position: number }>).value.position).toBe(events[1].position);
      expect(events[2].metadata.prevHash).toBe(events[1].metadata.hash);
      expect(await chainReport(store)).toEqual({ streams: 3, events: 5, breaks: [] });
    } finally {
      batches.restore();
    }
  });

  it('lets exactly the right ones of many concurrent writers win, with no gap in the stream', async () => {
    const store = open();
    const writers = 20;
    const perWriter = 10;
    let conflicts = 0;
    // Each writer reads the revision and appends with it, retrying on a conflict.
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let index = 0; index < perWriter; index += 1) {
          for (;;) {
            const revision = await store.streamRevision('s');
            try {
              const result = await store.append('s', [newEvent({ writer, index })], {
                expectedRevision: revision === -1 ? 'no_stream' : revision,
              });
              expect(result.nextExpectedRevision).toBe(revision + 1);
              break;
            } catch (error) {
              expect(error).toBeInstanceOf(WrongExpectedRevisionError);
              conflicts += 1;
            }
          }
        }
      }),
    );
    const events = await store.readStream('s');
    expect(events.map((event) => event.revision)).toEqual(Array.from({ length: writers * perWriter }, (_, index) => index));
    for (let writer = 0; writer < writers; writer += 1) {
      const own = events.filter((event) => (event.data as { writer: number }).writer === writer);
      expect(own.map((event) => (event.data as { index: number }).index)).toEqual(Array.from({ length: perWriter }, (_, index) => index));
    }
    expect(conflicts).toBeGreaterThan(0);
    expect(await chainReport(store)).toEqual({ streams: 1, events: writers * perWriter, breaks: [] });
  });

  it('keeps positions dense and increasing for a subscriber while two nodes append concurrently', async () => {
    const nodeA = open();
    const nodeB = open();
    const observer = open();
    const received: RecordedEvent[] = [];
    const subscription = observer.subscribe({}, (event) => {
      received.push(event);
    });
    await subscription.caughtUp;

    const perNode = 300;
    const appended: string[] = [];
    const writeFrom = (node: PostgresEventStore, name: string) =>
      Promise.all(
        Array.from({ length: 30 }, async (_, writer) => {
          for (let index = 0; index < perNode / 30; index += 1) {
            const event = newEvent({ node: name, writer, index });
            await node.append(`${name}-doc-${writer % 7}`, [event]);
            appended.push(event.id);
          }
        }),
      );
    await Promise.all([writeFrom(nodeA, 'a'), writeFrom(nodeB, 'b'), nodeA.append('shared', [newEvent()]), nodeB.append('shared', [newEvent()])]);

    const total = 2 * perNode + 2;
    await waitFor(() => received.length >= total, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received.map((event) => event.position)).toEqual(Array.from({ length: total }, (_, index) => index + 1));
    expect(new Set(received.map((event) => event.id)).size).toBe(total);
    appended.forEach((id) => expect(received.some((event) => event.id === id)).toBe(true));
    expect(await chainReport(observer)).toEqual({ streams: 15, events: total, breaks: [] });
  });

  it('rejects every append of a batch whose connection is lost with EventStoreUnavailableError, then recovers', async () => {
    const applicationName = `gc-test-${schema}`;
    const store = open({ applicationName });
    await store.append('warm-up', [newEvent()]);
    // Hold the append lock from outside, so that the store's batches wait for it, then kill them.
    const holder = new Client({ connectionString: url });
    await holder.connect();
    await holder.query(postgresTables(schema).beginLocked);
    let killed = 0;
    try {
      const outcomes = Promise.allSettled(Array.from({ length: 6 }, (_, index) => store.append(`s-${index}`, [newEvent()])));
      let settled = false;
      void outcomes.then(() => (settled = true));
      while (!settled) {
        const { rowCount } = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE application_name = $1 AND wait_event_type = 'Lock'`,
          [applicationName],
        );
        killed += rowCount ?? 0;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const results = await outcomes;
      results.forEach((outcome) =>
        expect(outcome).toMatchObject({ status: 'rejected', reason: expect.any(EventStoreUnavailableError) }),
      );
      // Two transactions waited for the lock: the first append alone, then the five queued behind it.
      expect(killed).toBe(2);
    } finally {
      await holder.query('COMMIT');
      await holder.end();
    }
    await expect(store.append('s-0', [newEvent()], { expectedRevision: 'no_stream' })).resolves.toMatchObject({
      nextExpectedRevision: 0,
    });
    expect(await store.headPosition()).toBeGreaterThan(1);
  });

  it('still appends one transaction per append with groupCommit: false', async () => {
    const store = open({ groupCommit: false });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => store.append('s', [newEvent()], { expectedRevision: 'no_stream' })),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    await Promise.all(Array.from({ length: 20 }, () => store.append('t', [newEvent()])));
    const all = await store.readAll();
    expect(all.map((event) => event.position)).toEqual(all.map((_, index) => index + 1));
    expect(await chainReport(store)).toEqual({ streams: 2, events: 21, breaks: [] });
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
