import { randomUUID } from 'node:crypto';
import type { EventData, EventStore, NewEvent, RecordedEvent } from '../../lib/event-store.port';
import type { EventStoreCapabilities, EventStoreFixture } from '../event-store.contract';

/** What every part of the contract sees: the adapter's name and capabilities, the current fixture and store. */
export interface ContractContext {
  readonly adapterName: string;
  readonly capabilities: EventStoreCapabilities;
  fixture: EventStoreFixture;
  store: EventStore;
}

export function newEvent(
  type = 'Noted',
  data: EventData = { note: randomUUID() },
  metadata: NewEvent['metadata'] = { userId: 'drafter-1' },
): NewEvent {
  return { id: randomUUID(), type, data, metadata };
}

/** Appends `count` events one by one, each with the expected revision it should find. */
export async function appendNumbered(
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

export function expectStrictlyIncreasingPositions(events: RecordedEvent[]): void {
  events.slice(1).forEach((event, index) => expect(event.position).toBeGreaterThan(events[index].position));
}

export async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
