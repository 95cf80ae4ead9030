import { randomBytes, randomUUID } from 'node:crypto';
import { describeEventStoreContract } from '../../testing/event-store.contract';
import { chainReport } from '../../testing/chain-report';
import { KurrentDbModel } from '../../testing/kurrentdb-model-client';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../errors';
import type { EventData, NewEvent, RecordedEvent } from '../event-store.port';
import { MemoryEventStore } from '../memory/memory-event-store';
import { KurrentDbEventStore } from './kurrentdb-event-store';

/*
 * The adapter against an in-process MODEL of KurrentDB (src/testing/kurrentdb-model-client.ts),
 * so that its logic runs in every `npm test`. This is not the real server: the real one runs in
 * kurrentdb-event-store.int.spec.ts when KURRENTDB_URL is set.
 */

const CAPABILITIES = {
  durable: true,
  // No index by event id in KurrentDB (see KurrentDbEventStore).
  idempotencyAcrossStreams: false,
  // KurrentDB assigns commit positions (see KurrentDbEventStore.importEvents).
  importKeepsPositions: false,
  // Each append is its own request (see the contract's capability).
  appendsInIssueOrder: false,
};

describeEventStoreContract(
  'kurrentdb (in-process model of the server)',
  async () => {
    const node = new KurrentDbModel();
    let store = new KurrentDbEventStore(node.client());
    return {
      store,
      reopen: async () => {
        await store.close();
        store = new KurrentDbEventStore(node.client());
        return store;
      },
      cleanup: () => store.close(),
    };
  },
  CAPABILITIES,
);

describeEventStoreContract(
  'kurrentdb (in-process model, namespaced, beside another namespace)',
  async () => {
    const node = new KurrentDbModel();
    const neighbour = new KurrentDbEventStore(node.client(), { namespace: 'other/' });
    await neighbour.append('proposal-1', [newEvent()]);
    await neighbour.append('user-1', [newEvent()]);
    let store = new KurrentDbEventStore(node.client(), { namespace: 'mine/' });
    return {
      store,
      reopen: async () => {
        await store.close();
        store = new KurrentDbEventStore(node.client(), { namespace: 'mine/' });
        return store;
      },
      cleanup: async () => {
        await store.close();
        await neighbour.close();
      },
    };
  },
  CAPABILITIES,
);

describe('KurrentDbEventStore (in-process model of the server)', () => {
  let node: KurrentDbModel;
  let store: KurrentDbEventStore;

  beforeEach(() => {
    node = new KurrentDbModel();
    store = new KurrentDbEventStore(node.client());
  });

  afterEach(async () => {
    await store.close();
  });

  it("never returns KurrentDB's own $ events, though they are interleaved with ours", async () => {
    node.setStreamMetadata('proposal-1');
    for (let index = 0; index < 7; index += 1) await store.append(`proposal-${index % 2}`, [newEvent()]);
    node.writeSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
    const systemRecords = node.records().filter((record) => record.streamId.startsWith('$'));
    expect(systemRecords.length).toBeGreaterThanOrEqual(4);

    const all = await store.readAll();
    expect(all).toHaveLength(7);
    expect(all.every((event) => !event.stream.startsWith('$'))).toBe(true);
    expect((await store.listStreams()).map((info) => info.stream)).toEqual(['proposal-0', 'proposal-1']);
    // The log ends with a system event; the head is our last event.
    expect(await store.headPosition()).toBe(all[6].position);

    const received: RecordedEvent[] = [];
    const subscription = store.subscribe({}, (event) => {
      received.push(event);
    });
    await subscription.caughtUp;
    expect(received).toEqual(all);
    await subscription.close();
  });

  it('hands out strictly increasing, non-dense positions: the commit positions', async () => {
    for (let index = 0; index < 5; index += 1) await store.append('s', [newEvent('Noted', randomBytes(10 + index))]);
    const positions = (await store.readAll()).map((event) => event.position);
    const byModel = node.records().filter((record) => record.streamId === 's').map((record) => Number(record.position));
    expect(positions).toEqual(byModel);
    positions.slice(1).forEach((position, index) => expect(position - positions[index]).toBeGreaterThan(1));
  });

  it('reports the position of the last event of a batch (the server reports one for the whole write)', async () => {
    const result = await store.append('s', [newEvent(), newEvent(), newEvent()]);
    const events = await store.readStream('s');
    expect(result).toEqual({ nextExpectedRevision: 2, position: events[2].position });
  });

  it('does not rely on the position the server reports for a single event when it is not the event position', async () => {
    const skewed = new KurrentDbEventStore(new KurrentDbModel({ reportedPosition: 'past' }).client());
    const results = [];
    for (let index = 0; index < 3; index += 1) results.push(await skewed.append('s', [newEvent()]));
    expect(results.map((result) => result.position)).toEqual((await skewed.readStream('s')).map((event) => event.position));
    await skewed.close();
  });

  it('recognises the retry of an append whose acknowledgement was lost, after others wrote to the stream', async () => {
    const first = [newEvent(), newEvent()];
    const original = await store.append('s', first, { expectedRevision: 'no_stream' });
    for (let index = 0; index < 5; index += 1) await store.append('s', [newEvent()]);

    await expect(store.append('s', first, { expectedRevision: 'no_stream' })).resolves.toEqual(original);
    const middle = [newEvent()];
    const placed = await store.append('s', middle, { expectedRevision: 6 });
    await store.append('s', [newEvent(), newEvent(), newEvent()]);
    await expect(store.append('s', middle, { expectedRevision: 6 })).resolves.toEqual(placed);
    expect(await store.streamRevision('s')).toBe(10);
  });

  it('a concurrent duplicate of the same append (two nodes, same ids, same head) stores one copy', async () => {
    const other = new KurrentDbEventStore(node.client());
    await store.append('s', [newEvent()]);
    const batch = [newEvent(), newEvent()];
    const [a, b] = await Promise.all([
      store.append('s', batch, { expectedRevision: 0 }),
      other.append('s', batch, { expectedRevision: 0 }),
    ]);
    expect(a).toEqual(b);
    expect(await store.readStream('s')).toHaveLength(3);
    expect((await chainReport(store)).breaks).toEqual([]);
    await other.close();
  });

  it("retries 'any' appends that lose the race for the head, keeping one unbroken chain", async () => {
    const nodes = [store, new KurrentDbEventStore(node.client()), new KurrentDbEventStore(node.client())];
    await Promise.all(
      nodes.flatMap((writer) => Array.from({ length: 10 }, () => writer.append('doc-shared', [newEvent('ContentUpdated', randomBytes(8))]))),
    );
    expect(await store.streamRevision('doc-shared')).toBe(29);
    expect(await chainReport(store)).toMatchObject({ events: 30, breaks: [] });
    await Promise.all(nodes.slice(1).map((writer) => writer.close()));
  });

  it('gives up on a lost race for an exact expected revision with WrongExpectedRevisionError', async () => {
    const other = new KurrentDbEventStore(node.client());
    await store.append('s', [newEvent()]);
    const outcomes = await Promise.allSettled([
      store.append('s', [newEvent()], { expectedRevision: 0 }),
      other.append('s', [newEvent()], { expectedRevision: 0 }),
    ]);
    const failed = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(failed[0].reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect(failed[0].reason).toMatchObject({ stream: 's', expected: 0, actual: 1 });
    await other.close();
  });

  it('reads a stream backwards from a revision past its end starting at the last event', async () => {
    for (let index = 0; index < 10; index += 1) await store.append('s', [newEvent()]);
    const revisions = (await store.readStream('s', { direction: 'backwards', fromRevision: 100, maxCount: 2 })).map(
      (event) => event.revision,
    );
    expect(revisions).toEqual([9, 8]);
    expect(await store.readStream('s', { direction: 'backwards', fromRevision: -1 })).toEqual([]);
  });

  it('reports an unreachable node as EventStoreUnavailableError', async () => {
    await store.append('s', [newEvent()]);
    node.setAvailable(false);
    await expect(store.append('s', [newEvent()])).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readStream('s')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.listStreams()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    node.setAvailable(true);
    await expect(store.append('s', [newEvent()], { expectedRevision: 0 })).resolves.toMatchObject({ nextExpectedRevision: 1 });
  });

  it('keeps a subscription through an outage, with no gap and no duplicate', async () => {
    const writer = new KurrentDbEventStore(node.client());
    const received: RecordedEvent[] = [];
    const errors: unknown[] = [];
    const subscription = store.subscribe(
      {},
      (event) => {
        received.push(event);
      },
      (error) => errors.push(error),
    );
    await subscription.caughtUp;
    for (let index = 0; index < 3; index += 1) await writer.append('doc-1', [newEvent()]);
    await waitFor(() => received.length === 3);

    node.setAvailable(false);
    await new Promise((resolve) => setTimeout(resolve, 150));
    node.setAvailable(true);
    for (let index = 0; index < 4; index += 1) await writer.append(`doc-${index}`, [newEvent()]);
    await waitFor(() => received.length === 7);
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(errors).toEqual([]);
    expect(received).toEqual(await store.readAll());
    expect(subscription.position).toBe(await store.headPosition());
    await writer.close();
  });

  it('subscribes after a position, with a stream-prefix filter, exclusively', async () => {
    await store.append('proposal-1', [newEvent()]);
    const start = (await store.append('user-1', [newEvent()])).position;
    await store.append('proposal-1', [newEvent()]);
    await store.append('user-1', [newEvent()]);
    const received: RecordedEvent[] = [];
    const subscription = store.subscribe({ afterPosition: start, streamPrefixes: ['proposal-'] }, (event) => {
      received.push(event);
    });
    await subscription.caughtUp;
    expect(received.map((event) => [event.stream, event.revision])).toEqual([['proposal-1', 1]]);
    await subscription.close();
  });

  it('imports another store’s log in order, under new positions, with its hashes intact', async () => {
    const source = new MemoryEventStore();
    await source.append('proposal-1', [newEvent('ProposalCreated', { title: 'T' })]);
    await source.append('proposal-1-content', [newEvent('ContentUpdated', randomBytes(40)), newEvent('ContentUpdated', new Uint8Array(0))]);
    await source.append('proposal-1', [newEvent('ProposalSentForReview', { revision: 2 })]);
    const recorded = await source.readAll();
    await source.close();

    const received: RecordedEvent[] = [];
    const subscription = store.subscribe({}, (event) => {
      received.push(event);
    });
    await subscription.caughtUp;
    const result = await store.importEvents(recorded);
    const imported = await store.readAll();
    expect(result).toEqual({ eventsWritten: 4, position: imported[3].position });

    const withoutPositions = (events: RecordedEvent[]) => events.map((event) => ({ ...event, position: 0 }));
    expect(withoutPositions(imported)).toEqual(withoutPositions(recorded));
    imported.slice(1).forEach((event, index) => expect(event.position).toBeGreaterThan(imported[index].position));
    expect(await chainReport(store)).toMatchObject({ events: 4, breaks: [] });
    await waitFor(() => received.length === 4);
    expect(received).toEqual(imported);
    await subscription.close();

    // The chain carries on; importing the same events again is refused (revision check), nothing written.
    await store.append('proposal-1', [newEvent()], { expectedRevision: 1 });
    await expect(store.importEvents(recorded)).rejects.toMatchObject({ name: 'ImportRejectedError', stream: 'proposal-1' });
    expect(await store.readAll()).toHaveLength(5);
    expect((await chainReport(store)).breaks).toEqual([]);
  });

  it('refuses to work after close', async () => {
    await store.close();
    await expect(store.append('s', [newEvent()])).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });
});

function newEvent(type = 'Noted', data: EventData = { note: randomUUID() }): NewEvent {
  return { id: randomUUID(), type, data, metadata: { userId: 'drafter-1' } };
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
