import { computeEventHash, GENESIS_HASH } from '@concord/integrity';
import type { RecordedEvent } from '../event-store.port';

/** The event before another in its stream, as the chain-link check needs it. */
export interface ChainLinkHead {
  revision: number;
  hash: string;
}

/**
 * The one chain-link check: why `event` does not continue its stream after `previous` (undefined
 * before the stream's first event), or null when it does. A link holds when the event has the next
 * revision, its metadata names its own id, its prevHash is the previous event's hash (GENESIS_HASH
 * first) and its hash recomputes from its content. Positions are the caller's check: an import
 * compares them across the whole log, verify within the stream.
 *
 * Used by every adapter's importEvents (through checkImportedEvent), by the import tool's first
 * pass and by verifyEventStore (@concord/event-log-tools).
 */
export function chainLinkProblem(event: RecordedEvent, previous: ChainLinkHead | undefined): string | null {
  const expectedRevision = (previous?.revision ?? -1) + 1;
  if (event.revision !== expectedRevision) {
    return `expected revision ${expectedRevision} of the stream, found ${event.revision}`;
  }
  if (event.metadata.eventId !== event.id) {
    return `metadata eventId ${String(event.metadata.eventId)} differs from the event id ${event.id}`;
  }
  if (event.metadata.prevHash !== (previous?.hash ?? GENESIS_HASH)) {
    return 'prevHash does not match the hash of the previous event of the stream (events reordered, replaced or removed)';
  }
  const recomputed = computeEventHash({
    prevHash: event.metadata.prevHash,
    stream: event.stream,
    revision: event.revision,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
  });
  if (recomputed !== event.metadata.hash) {
    return 'the recorded hash does not match the recomputed hash (data, type or metadata changed)';
  }
  return null;
}
