import { randomBytes } from 'node:crypto';
import type { EventStore, RecordedEvent, Subscription } from '../../lib/event-store.port';
import { appendNumbered, ContractContext, expectStrictlyIncreasingPositions, newEvent, waitFor } from './contract-support';

/** Subscriptions: catch-up then live, exactly once and in order, prefix filters, one handler at a time. */
export function describeSubscriptionsContract(context: ContractContext): void {
  let store: EventStore;

  beforeEach(() => {
    store = context.store;
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
      // 192 contended appends: a guard against a hang, not a speed check (a loaded CI machine took > 5 s).
    }, 30_000);

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
}
