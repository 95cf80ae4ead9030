import { StreamNotFoundError } from '../../lib/errors';
import type { EventStore } from '../../lib/event-store.port';
import { appendNumbered, ContractContext, expectStrictlyIncreasingPositions } from './contract-support';

/** Reads: a stream in both directions, the stream heads, the whole log in one total order. */
export function describeReadsContract(context: ContractContext): void {
  let store: EventStore;

  beforeEach(() => {
    store = context.store;
  });

  describe('reads', () => {
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
}
