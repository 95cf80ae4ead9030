import { randomBytes, randomUUID } from 'node:crypto';
import type { EventStore, RecordedEvent } from '../../lib/event-store.port';
import { ImportRejectedError } from '../../lib/import/import-checks';
import { MemoryEventStore } from '../../lib/memory/memory-event-store';
import { chainReport } from '../chain-report';
import { ContractContext, newEvent, waitFor } from './contract-support';

/** importEvents: events written exactly as recorded elsewhere, or the whole batch refused with the reason. */
export function describeImportContract(context: ContractContext): void {
  let store: EventStore;

  beforeEach(() => {
    store = context.store;
  });

  describe('importEvents', () => {
    const itKeepingPositions = context.capabilities.importKeepsPositions === false ? it.skip : it;
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
      expect(await chainReport(store)).toEqual({ streams: 3, events: 5, breaks: [] });

      // The store carries on after the import: the chain continues, positions go past the highest.
      const next = await store.append('proposal-1', [newEvent()], { expectedRevision: 1 });
      expect(next.position).toBeGreaterThan(50);
      const [last] = await store.readStream('proposal-1', { direction: 'backwards', maxCount: 1 });
      expect(last.metadata.prevHash).toBe(recorded[3].metadata.hash);
      expect((await chainReport(store)).breaks).toEqual([]);
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
}
