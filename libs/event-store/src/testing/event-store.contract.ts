import { randomBytes, randomUUID } from 'node:crypto';
import { GENESIS_HASH } from '@concord/integrity';
import {
  IdempotencyConflictError,
  StreamNotFoundError,
  WrongExpectedRevisionError,
} from '../lib/errors';
import type {
  EventData,
  EventStore,
  NewEvent,
  RecordedEvent,
  Subscription,
} from '../lib/event-store.port';
import { verifyEventStore } from '../lib/verify/verify-event-store';
import { MemoryEventStore } from '../lib/memory/memory-event-store';
import { ImportRejectedError } from '../lib/transfer/import-checks';

/**
 * Raw edits on an adapter's storage, bypassing the store, to prove that verifyEventStore notices
 * them. None of them touches the stream head record unless it says so.
 */
export interface EventStoreTamperer {
  /** Flips one bit in the middle of the stored payload of the event at `revision`. */
  flipDataByte(stream: string, revision: number): Promise<void>;
  /** Overwrites one stored metadata field, keeping the stored hash. */
  setMetadataField(stream: string, revision: number, field: string, value: string): Promise<void>;
  /** Exchanges the stored payloads of two events of a stream. */
  swapPayloads(stream: string, revisionA: number, revisionB: number): Promise<void>;
  /** Exchanges the revisions of two events of a stream, i.e. their order. */
  swapOrder(stream: string, revisionA: number, revisionB: number): Promise<void>;
  /** Deletes one event, leaving the stream head record as it was. */
  deleteEvent(stream: string, revision: number): Promise<void>;
}

export interface EventStoreFixture {
  store: EventStore;
  /** Closes the current store and opens a new one on the same storage (durable adapters). */
  reopen?: () => Promise<EventStore>;
  tamper?: EventStoreTamperer;
  /** Closes every store the fixture opened and removes its storage. */
  cleanup: () => Promise<void>;
}

/** Optional parts of the contract; an adapter that lacks one shows its tests as skipped. */
export interface EventStoreCapabilities {
  /** The fixture provides `reopen`: the store keeps its events across a close and reopen. */
  durable: boolean;
  /** The fixture provides `tamper`: raw access to the storage. */
  tamperable: boolean;
  /**
   * Default true: event ids are looked up store-wide, so an id already stored in another stream is
   * refused. False for KurrentDB, which has no index by event id (see KurrentDbEventStore).
   */
  idempotencyAcrossStreams?: boolean;
  /**
   * Default true: importEvents stores the given positions. False for KurrentDB, which assigns its
   * own commit positions and keeps only the order (see KurrentDbEventStore.importEvents).
   */
  importKeepsPositions?: boolean;
}

/** Runs the one EventStore contract against an adapter; `createFixture` gives a fresh, empty store. */
export function describeEventStoreContract(
  adapterName: string,
  createFixture: () => Promise<EventStoreFixture>,
  capabilities: EventStoreCapabilities,
): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;

    beforeEach(async () => {
      fixture = await createFixture();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    describe('append and read', () => {
      it('round-trips JSON payloads and completes the metadata', async () => {
        const data = {
          title: 'Skills passport — ✓ 技能',
          kind: 'policy',
          gcmObjectives: [2, 18],
          budget: { amount: 1234.5, currency: null },
          flags: [true, false],
        };
        const event = newEvent('ProposalCreated', data, { userId: 'drafter-1', correlationId: 'c-1' });
        const result = await store.append('proposal-1', [event], { expectedRevision: 'no_stream' });

        const [read] = await store.readStream('proposal-1');
        expect(result).toEqual({ nextExpectedRevision: 0, position: read.position });
        expect(read).toMatchObject({ id: event.id, stream: 'proposal-1', revision: 0, type: 'ProposalCreated', data });
        expect(read.metadata).toMatchObject({
          userId: 'drafter-1',
          correlationId: 'c-1',
          eventId: event.id,
          prevHash: GENESIS_HASH,
        });
        expect(Date.parse(read.metadata.at)).not.toBeNaN();
        expect(read.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
      });

      it("keeps the caller's time", async () => {
        const at = '2026-03-01T09:30:00.000Z';
        await store.append('proposal-1', [newEvent('ProposalCreated', {}, { userId: 'u1', at })]);
        const [read] = await store.readStream('proposal-1');
        expect(read.metadata.at).toBe(at);
      });

      it('round-trips binary payloads byte for byte (64 KiB of random bytes with zeros, and empty)', async () => {
        const large = randomBytes(64 * 1024);
        large.fill(0, 100, 200);
        large[0] = 0;
        large[large.length - 1] = 0;
        const payloads = [new Uint8Array(large), new Uint8Array([0, 0, 0]), new Uint8Array(0)];
        await store.append(
          'proposal-1-content',
          payloads.map((payload) => newEvent('ContentUpdated', payload)),
        );

        const read = await store.readStream('proposal-1-content');
        expect(read).toHaveLength(3);
        read.forEach((event, index) => {
          expect(event.data).toBeInstanceOf(Uint8Array);
          expect(Buffer.from(event.data as Uint8Array).equals(Buffer.from(payloads[index]))).toBe(true);
        });
      });

      it('reads forwards, backwards, from a revision and up to a count', async () => {
        await appendNumbered(store, 'proposal-1', 10);
        const revisions = async (options: Parameters<EventStore['readStream']>[1]) =>
          (await store.readStream('proposal-1', options)).map((event) => event.revision);

        expect(await revisions({})).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(await revisions({ fromRevision: 7 })).toEqual([7, 8, 9]);
        expect(await revisions({ fromRevision: 2, maxCount: 3 })).toEqual([2, 3, 4]);
        expect(await revisions({ direction: 'backwards' })).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
        expect(await revisions({ direction: 'backwards', fromRevision: 4, maxCount: 2 })).toEqual([4, 3]);
        expect(await revisions({ direction: 'backwards', maxCount: 1 })).toEqual([9]);
        expect(await revisions({ fromRevision: 10 })).toEqual([]);
      });

      it('reports a missing stream', async () => {
        await expect(store.readStream('proposal-404')).rejects.toBeInstanceOf(StreamNotFoundError);
        expect(await store.streamRevision('proposal-404')).toBe(-1);
        await appendNumbered(store, 'proposal-1', 3);
        expect(await store.streamRevision('proposal-1')).toBe(2);
      });

      it('lists streams by name with their head', async () => {
        await appendNumbered(store, 'user-1', 1);
        await appendNumbered(store, 'proposal-1', 3);
        const last = (await store.readStream('proposal-1', { direction: 'backwards', maxCount: 1 }))[0];
        const streams = await store.listStreams();
        expect(streams.map((info) => info.stream)).toEqual(['proposal-1', 'user-1']);
        expect(streams[0]).toEqual({ stream: 'proposal-1', lastRevision: 2, lastHash: last.metadata.hash });
      });
    });

    describe('expected revision', () => {
      it("accepts 'no_stream' only for a new stream", async () => {
        await store.append('s', [newEvent()], { expectedRevision: 'no_stream' });
        await expect(store.append('s', [newEvent()], { expectedRevision: 'no_stream' })).rejects.toMatchObject({
          name: 'WrongExpectedRevisionError',
          stream: 's',
          expected: 'no_stream',
          actual: 0,
        });
      });

      it("accepts 'stream_exists' only for an existing stream", async () => {
        await expect(store.append('s', [newEvent()], { expectedRevision: 'stream_exists' })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        await store.append('s', [newEvent()]);
        await expect(store.append('s', [newEvent()], { expectedRevision: 'stream_exists' })).resolves.toMatchObject({
          nextExpectedRevision: 1,
        });
      });

      it('accepts a number only when it is the last revision', async () => {
        const first = await store.append('s', [newEvent(), newEvent()]);
        expect(first.nextExpectedRevision).toBe(1);
        await expect(store.append('s', [newEvent()], { expectedRevision: 0 })).rejects.toMatchObject({
          expected: 0,
          actual: 1,
        });
        await expect(store.append('s', [newEvent()], { expectedRevision: 1 })).resolves.toMatchObject({
          nextExpectedRevision: 2,
        });
        expect(await store.streamRevision('s')).toBe(2);
      });

      it('lets exactly one of 50 concurrent appends with the same expected revision win', async () => {
        await appendNumbered(store, 's', 1);
        const outcomes = await Promise.allSettled(
          Array.from({ length: 50 }, () => store.append('s', [newEvent()], { expectedRevision: 0 })),
        );
        const succeeded = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const failed = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
        expect(succeeded).toHaveLength(1);
        expect(failed).toHaveLength(49);
        failed.forEach((outcome) => expect(outcome.reason).toBeInstanceOf(WrongExpectedRevisionError));
        expect(await store.streamRevision('s')).toBe(1);
      });
    });

    describe('idempotency', () => {
      it('stores nothing new when the same event ids are appended again', async () => {
        const batch = [newEvent(), newEvent(), newEvent()];
        const first = await store.append('s', batch, { expectedRevision: 'no_stream' });
        const head = await store.headPosition();

        // A retry after a lost acknowledgement carries the original (now stale) expected revision.
        await expect(store.append('s', batch, { expectedRevision: 'no_stream' })).resolves.toEqual(first);
        await expect(store.append('s', batch)).resolves.toEqual(first);
        expect(await store.headPosition()).toBe(head);
        expect(await store.readStream('s')).toHaveLength(3);
      });

      it('treats a consecutive run of the batch as already written', async () => {
        const batch = [newEvent(), newEvent(), newEvent()];
        await store.append('s', batch);
        const tail = await store.append('s', batch.slice(1));
        expect(tail.nextExpectedRevision).toBe(2);
        expect(await store.readStream('s')).toHaveLength(3);
      });

      it('refuses a partial overlap, another order or a repeated id', async () => {
        const [a, b, c] = [newEvent(), newEvent(), newEvent()];
        await store.append('s', [a, b]);
        await expect(store.append('s', [b, c])).rejects.toBeInstanceOf(IdempotencyConflictError);
        await expect(store.append('s', [b, a])).rejects.toBeInstanceOf(IdempotencyConflictError);
        await expect(store.append('s', [c, c])).rejects.toBeInstanceOf(IdempotencyConflictError);
        expect(await store.readStream('s')).toHaveLength(2);
      });

      const itAcrossStreams = capabilities.idempotencyAcrossStreams === false ? it.skip : it;
      itAcrossStreams('refuses an id already stored in another stream', async () => {
        const a = newEvent();
        await store.append('s', [a]);
        await expect(store.append('other', [a])).rejects.toBeInstanceOf(IdempotencyConflictError);
        expect(await store.streamRevision('other')).toBe(-1);
      });
    });

    describe('global order', () => {
      it('is total and stable, with per-stream revisions in order', async () => {
        await Promise.all(
          Array.from({ length: 10 }, (_, writer) => appendNumbered(store, `stream-${writer % 4}`, 5, 'any')),
        );
        const first = await store.readAll();
        const second = await store.readAll();
        expect(second).toEqual(first);
        expect(first).toHaveLength(50);
        expectStrictlyIncreasingPositions(first);
        expect(await store.headPosition()).toBe(first[first.length - 1].position);

        const nextRevision = new Map<string, number>();
        for (const event of first) {
          expect(event.revision).toBe(nextRevision.get(event.stream) ?? 0);
          nextRevision.set(event.stream, event.revision + 1);
        }
      });

      it('reads all after a position, up to a count, by stream prefix', async () => {
        expect(await store.headPosition()).toBe(0);
        await appendNumbered(store, 'proposal-1', 3);
        await appendNumbered(store, 'user-1', 2);
        await appendNumbered(store, 'proposal-2', 3);
        const all = await store.readAll();

        expect(await store.readAll({ afterPosition: all[2].position })).toEqual(all.slice(3));
        expect(await store.readAll({ afterPosition: all[0].position, maxCount: 2 })).toEqual(all.slice(1, 3));
        const proposals = await store.readAll({ streamPrefixes: ['proposal-'] });
        expect(proposals.map((event) => event.stream)).toEqual([
          'proposal-1', 'proposal-1', 'proposal-1', 'proposal-2', 'proposal-2', 'proposal-2',
        ]);
        expect(await store.readAll({ streamPrefixes: ['user-', 'proposal-2'], maxCount: 3 })).toEqual(all.slice(3, 6));
      });
    });

    describe('subscriptions', () => {
      let subscriptions: Subscription[];

      beforeEach(() => {
        subscriptions = [];
      });

      afterEach(async () => {
        await Promise.all(subscriptions.map((subscription) => subscription.close()));
      });

      const collect = (afterPosition: number, streamPrefixes?: string[]) => {
        const received: RecordedEvent[] = [];
        const errors: unknown[] = [];
        const subscription = store.subscribe(
          { afterPosition, streamPrefixes },
          (event) => {
            received.push(event);
          },
          (error) => errors.push(error),
        );
        subscriptions.push(subscription);
        return { received, errors, subscription };
      };

      it('catches up from 0, then goes live', async () => {
        await appendNumbered(store, 'proposal-1', 5);
        const { received, subscription } = collect(0);
        await subscription.caughtUp;
        expect(received.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4]);

        await appendNumbered(store, 'proposal-2', 2);
        await waitFor(() => received.length === 7);
        expect(received).toEqual(await store.readAll());
        expect(subscription.position).toBe(await store.headPosition());
      });

      it('delivers every event after its start position exactly once, in order, under 20 concurrent appenders', async () => {
        await appendNumbered(store, 'seed', 5);
        const start = await store.headPosition();
        const { received, errors, subscription } = collect(start);

        const writers = 24;
        const appendsPerWriter = 8;
        await Promise.all(
          Array.from({ length: writers }, async (_, writer) => {
            for (let index = 0; index < appendsPerWriter; index += 1) {
              const stream = index % 2 === 0 ? `doc-${writer}` : 'doc-shared';
              await store.append(stream, [newEvent('ContentUpdated', randomBytes(32))]);
            }
          }),
        );
        const expected = writers * appendsPerWriter;
        await waitFor(() => received.length >= expected);
        await subscription.caughtUp;

        expect(errors).toEqual([]);
        expect(received).toHaveLength(expected);
        expectStrictlyIncreasingPositions(received);
        expect(new Set(received.map((event) => event.id)).size).toBe(expected);
        expect(received).toEqual(await store.readAll({ afterPosition: start }));
      });

      it('filters by stream prefix', async () => {
        const { received, subscription } = collect(0, ['proposal-1']);
        await appendNumbered(store, 'proposal-1', 2);
        await appendNumbered(store, 'user-1', 3);
        await appendNumbered(store, 'proposal-1-content', 1);
        await waitFor(() => received.length === 3);
        await subscription.caughtUp;
        expect(received.map((event) => event.stream)).toEqual(['proposal-1', 'proposal-1', 'proposal-1-content']);
      });

      it('waits for one handler before calling the next, and stops on a handler error', async () => {
        await appendNumbered(store, 's', 3);
        const calls: string[] = [];
        const errors: unknown[] = [];
        const failure = new Error('projection failed');
        const subscription = store.subscribe(
          {},
          async (event) => {
            calls.push(`start ${event.revision}`);
            await new Promise((resolve) => setTimeout(resolve, 5));
            calls.push(`end ${event.revision}`);
            if (event.revision === 1) throw failure;
          },
          (error) => errors.push(error),
        );
        subscriptions.push(subscription);
        await waitFor(() => errors.length === 1);
        expect(errors).toEqual([failure]);
        expect(calls).toEqual(['start 0', 'end 0', 'start 1', 'end 1']);
        expect(subscription.position).toBe((await store.readStream('s'))[0].position);
      });
    });

    describe('hash chain', () => {
      it('links every event to its predecessor and verifies', async () => {
        await appendNumbered(store, 'proposal-1', 3);
        await store.append('proposal-1-content', [newEvent('ContentUpdated', randomBytes(100))]);
        const events = await store.readStream('proposal-1');
        expect(events[0].metadata.prevHash).toBe(GENESIS_HASH);
        expect(events[1].metadata.prevHash).toBe(events[0].metadata.hash);
        expect(events[2].metadata.prevHash).toBe(events[1].metadata.hash);
        events.forEach((event) => expect(event.metadata.eventId).toBe(event.id));

        const progress: string[] = [];
        const report = await verifyEventStore(store, { onProgress: (step) => progress.push(step.stream) });
        expect(report).toEqual({ ok: true, streamsChecked: 2, eventsChecked: 4, firstBreak: null });
        expect(progress).toEqual(['proposal-1', 'proposal-1-content']);
      });

      it('verifies an empty store', async () => {
        expect(await verifyEventStore(store)).toEqual({ ok: true, streamsChecked: 0, eventsChecked: 0, firstBreak: null });
      });
    });

    describe('importEvents', () => {
      const itKeepingPositions = capabilities.importKeepsPositions === false ? it.skip : it;
      /** A log recorded by another store, with positions spread out (10, 20, …) as a source with gaps would have. */
      const recordElsewhere = async (): Promise<RecordedEvent[]> => {
        const source = new MemoryEventStore();
        await source.append('proposal-1', [
          newEvent('ProposalCreated', { title: 'Skills passport — ✓ 技能', budget: { amount: 1.5, currency: null } }, {
            userId: 'drafter-1',
            at: '2026-01-01T09:00:00.000Z',
            correlationId: 'c-1',
          }),
        ]);
        await source.append('proposal-1-content', [
          newEvent('ContentUpdated', randomBytes(300), { userId: 'drafter-1', clientId: 42 }),
          newEvent('ContentUpdated', new Uint8Array(0), { userId: 'drafter-2', clientId: 43 }),
        ]);
        await source.append('proposal-1', [newEvent('ProposalSentForReview', { revision: 2 }, { userId: 'drafter-2' })]);
        await source.append('user-1', [newEvent('UserRegistered', { email: 'a@example.org' }, { userId: 'system' })]);
        const events = await source.readAll();
        await source.close();
        return events.map((event, index) => ({ ...event, position: (index + 1) * 10 }));
      };

      itKeepingPositions('writes events exactly as recorded: ids, positions, data and metadata', async () => {
        const recorded = await recordElsewhere();
        const result = await store.importEvents(recorded.slice(0, 2));
        expect(result).toEqual({ eventsWritten: 2, position: 20 });
        await store.importEvents(recorded.slice(2));

        expect(await store.readAll()).toEqual(recorded);
        expect(await store.headPosition()).toBe(50);
        expect(await store.streamRevision('proposal-1')).toBe(1);
        expect((await store.listStreams()).map((info) => [info.stream, info.lastRevision])).toEqual([
          ['proposal-1', 1],
          ['proposal-1-content', 1],
          ['user-1', 0],
        ]);
        expect(await verifyEventStore(store)).toMatchObject({ ok: true, eventsChecked: 5 });

        // The store carries on after the import: the chain continues, positions go past the highest.
        const next = await store.append('proposal-1', [newEvent()], { expectedRevision: 1 });
        expect(next.position).toBeGreaterThan(50);
        const [last] = await store.readStream('proposal-1', { direction: 'backwards', maxCount: 1 });
        expect(last.metadata.prevHash).toBe(recorded[3].metadata.hash);
        expect((await verifyEventStore(store)).ok).toBe(true);
      });

      itKeepingPositions('delivers imported events to subscribers', async () => {
        const recorded = await recordElsewhere();
        const received: RecordedEvent[] = [];
        const subscription = store.subscribe({}, (event) => {
          received.push(event);
        });
        await subscription.caughtUp;
        await store.importEvents(recorded);
        await waitFor(() => received.length === recorded.length);
        expect(received).toEqual(recorded);
        await subscription.close();
      });

      const rejections: Array<[string, (events: RecordedEvent[]) => RecordedEvent[], number, RegExp]> = [
        [
          'a changed payload',
          (events) => events.map((event, index) => (index === 3 ? { ...event, data: { revision: 3 } } : event)),
          3,
          /recomputed hash/,
        ],
        [
          'a changed user',
          (events) =>
            events.map((event, index) => (index === 1 ? { ...event, metadata: { ...event.metadata, userId: 'x' } } : event)),
          1,
          /recomputed hash/,
        ],
        ['a missing event', (events) => events.filter((_, index) => index !== 1), 1, /expected revision 0 of the stream, found 1/],
        [
          'positions out of order',
          (events) => events.map((event, index) => (index === 2 ? { ...event, position: 15 } : event)),
          2,
          /not greater than the last position 20/,
        ],
        [
          'a repeated id',
          (events) => events.map((event, index) => (index === 4 ? { ...event, id: events[0].id } : event)),
          4,
          /appears twice/,
        ],
        [
          'a broken prevHash link',
          (events) =>
            events.map((event, index) =>
              index === 2 ? { ...event, metadata: { ...event.metadata, prevHash: events[0].metadata.hash } } : event,
            ),
          2,
          /prevHash/,
        ],
      ];
      it.each(rejections)('rejects %s, naming the event, and writes nothing of the batch', async (_what, edit, index, reason) => {
        const events = edit(await recordElsewhere());
        const error = await store.importEvents(events).then(
          () => null,
          (rejected: unknown) => rejected,
        );
        expect(error).toBeInstanceOf(ImportRejectedError);
        expect(error).toMatchObject({ stream: events[index].stream, revision: events[index].revision });
        expect((error as Error).message).toMatch(reason);
        expect(await store.headPosition()).toBe(0);
        expect(await store.listStreams()).toEqual([]);
      });

      itKeepingPositions('refuses ids already stored and events that do not continue the stored chain', async () => {
        const recorded = await recordElsewhere();
        await store.importEvents(recorded.slice(0, 3));
        await expect(store.importEvents(recorded.slice(2))).rejects.toThrow(/already stored/);
        await expect(store.importEvents(recorded.slice(4).map((event) => ({ ...event, position: 25 })))).rejects.toThrow(
          /not greater than the last position 30/,
        );
        await expect(store.importEvents(recorded.slice(0, 1).map((event) => ({ ...event, id: randomUUID(), position: 99 }))))
          .rejects.toThrow(/expected revision 1 of the stream, found 0/);
        await store.importEvents(recorded.slice(3));
        expect(await store.readAll()).toEqual(recorded);
      });
    });

    const itWithReopen = capabilities.durable ? it : it.skip;
    describe('durability', () => {
      itWithReopen('still holds every acknowledged event after reopening, and keeps chaining', async () => {
        const reopen = fixture.reopen;
        if (!reopen) throw new Error(`${adapterName} is declared durable but its fixture has no reopen`);
        await Promise.all(Array.from({ length: 20 }, (_, writer) => appendNumbered(store, `doc-${writer % 5}`, 3, 'any')));
        await store.append('doc-binary', [newEvent('ContentUpdated', randomBytes(1000))]);
        const before = await store.readAll();

        store = await reopen();
        expect(await store.readAll()).toEqual(before);
        await store.append('doc-0', [newEvent()], { expectedRevision: 11 });
        expect((await verifyEventStore(store)).ok).toBe(true);
      });
    });

    const itWithTamper = capabilities.tamperable ? it : it.skip;
    describe('tamper detection', () => {
      const target = 'proposal-1-content';

      /** An intact stream before and after the target in listStreams order, 4 events in the target. */
      const seed = async () => {
        await appendNumbered(store, 'proposal-1', 3);
        await store.append(
          target,
          Array.from({ length: 4 }, (_, index) =>
            newEvent('ContentUpdated', randomBytes(64), { userId: `drafter-${index}`, clientId: 1000 + index }),
          ),
        );
        await appendNumbered(store, 'user-1', 2);
        expect((await verifyEventStore(store)).ok).toBe(true);
        if (!fixture.tamper) throw new Error(`${adapterName} is declared tamperable but its fixture has no tamper`);
        return fixture.tamper;
      };

      const expectBreakAt = async (revision: number) => {
        const report = await verifyEventStore(store);
        expect(report.ok).toBe(false);
        expect(report.firstBreak).toMatchObject({ stream: target, revision });
        expect(report.firstBreak?.reason).toEqual(expect.any(String));
      };

      itWithTamper('detects a changed data byte', async () => {
        await (await seed()).flipDataByte(target, 2);
        await expectBreakAt(2);
      });

      itWithTamper('detects a changed byte in a JSON payload', async () => {
        await (await seed()).flipDataByte('proposal-1', 1);
        const report = await verifyEventStore(store);
        expect(report.firstBreak).toMatchObject({ stream: 'proposal-1', revision: 1 });
      });

      itWithTamper('detects a changed user in the metadata', async () => {
        await (await seed()).setMetadataField(target, 1, 'userId', 'intruder');
        await expectBreakAt(1);
      });

      itWithTamper('detects a changed time in the metadata', async () => {
        await (await seed()).setMetadataField(target, 1, 'at', '2020-01-01T00:00:00.000Z');
        await expectBreakAt(1);
      });

      itWithTamper('detects two swapped payloads', async () => {
        await (await seed()).swapPayloads(target, 1, 2);
        await expectBreakAt(1);
      });

      itWithTamper('detects two swapped events', async () => {
        await (await seed()).swapOrder(target, 1, 2);
        await expectBreakAt(1);
      });

      itWithTamper('detects a deleted event in the middle of a stream', async () => {
        await (await seed()).deleteEvent(target, 2);
        await expectBreakAt(2);
      });

      itWithTamper('detects a deleted tail event', async () => {
        await (await seed()).deleteEvent(target, 3);
        await expectBreakAt(3);
      });
    });
  });
}

function newEvent(
  type = 'Noted',
  data: EventData = { note: randomUUID() },
  metadata: NewEvent['metadata'] = { userId: 'drafter-1' },
): NewEvent {
  return { id: randomUUID(), type, data, metadata };
}

/** Appends `count` events one by one, each with the expected revision it should find. */
async function appendNumbered(
  store: EventStore,
  stream: string,
  count: number,
  expectedRevision: 'any' | 'exact' = 'exact',
): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    const current = await store.streamRevision(stream);
    await store.append(stream, [newEvent('Noted', { index })], {
      expectedRevision: expectedRevision === 'any' ? 'any' : current === -1 ? 'no_stream' : current,
    });
  }
}

function expectStrictlyIncreasingPositions(events: RecordedEvent[]): void {
  events.slice(1).forEach((event, index) => expect(event.position).toBeGreaterThan(events[index].position));
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
