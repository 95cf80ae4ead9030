import { randomBytes } from 'node:crypto';
import { GENESIS_HASH } from '@concord/integrity';
import type { EventStore } from '../../lib/event-store.port';
import { chainReport } from '../chain-report';
import { appendNumbered, ContractContext, newEvent } from './contract-support';

/** The hash chain every adapter writes (checked with the one chain-link check), and durability across a reopen. */
export function describeHashChainContract(context: ContractContext): void {
  let store: EventStore;

  beforeEach(() => {
    store = context.store;
  });

  describe('hash chain', () => {
    it('links every event to its predecessor, and the chain checks out', async () => {
      await appendNumbered(store, 'proposal-1', 3);
      await store.append('proposal-1-content', [newEvent('ContentUpdated', randomBytes(100))]);
      const events = await store.readStream('proposal-1');
      expect(events[0].metadata.prevHash).toBe(GENESIS_HASH);
      expect(events[1].metadata.prevHash).toBe(events[0].metadata.hash);
      expect(events[2].metadata.prevHash).toBe(events[1].metadata.hash);
      events.forEach((event) => expect(event.metadata.eventId).toBe(event.id));

      expect(await chainReport(store)).toEqual({ streams: 2, events: 4, breaks: [] });
    });
  });

  const itWithReopen = context.capabilities.durable ? it : it.skip;
  describe('durability', () => {
    itWithReopen('still holds every acknowledged event after reopening, and keeps chaining', async () => {
      const reopen = context.fixture.reopen;
      if (!reopen) throw new Error(`${context.adapterName} is declared durable but its fixture has no reopen`);
      await Promise.all(Array.from({ length: 20 }, (_, writer) => appendNumbered(store, `doc-${writer % 5}`, 3, 'any')));
      await store.append('doc-binary', [newEvent('ContentUpdated', randomBytes(1000))]);
      const before = await store.readAll();

      store = await reopen();
      expect(await store.readAll()).toEqual(before);
      await store.append('doc-0', [newEvent()], { expectedRevision: 11 });
      expect((await chainReport(store)).breaks).toEqual([]);
    });
  });
}
