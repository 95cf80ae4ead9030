import { computeEventHash, GENESIS_HASH } from '@concord/integrity';
import type { EventData, RecordedEvent } from '../lib/event-store.port';

/**
 * What an attacker who controls the store does to rewrite history without breaking the chain:
 * replaces the data of one event, then recomputes prevHash and hash of it and of every later event
 * of the stream. `events` is the whole stream in revision order; returns the rewritten stream.
 */
export function rewriteStreamConsistently(
  events: readonly RecordedEvent[],
  revision: number,
  newData: (old: EventData) => EventData,
): RecordedEvent[] {
  let prevHash = GENESIS_HASH;
  return events.map((event) => {
    const data = event.revision === revision ? newData(event.data) : event.data;
    const metadata = { ...event.metadata, prevHash };
    const hash =
      event.revision < revision
        ? event.metadata.hash
        : computeEventHash({ prevHash, stream: event.stream, revision: event.revision, type: event.type, data, metadata });
    prevHash = hash;
    return { ...event, data, metadata: { ...metadata, hash } };
  });
}
