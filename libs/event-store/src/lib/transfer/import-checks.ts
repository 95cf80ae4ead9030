import { computeEventHash, GENESIS_HASH } from '@concord/integrity';
import type { RecordedEvent } from '../event-store.port';

/** An event offered to EventStore.importEvents (or found in an export file) that cannot be written. */
export class ImportRejectedError extends Error {
  override readonly name = 'ImportRejectedError';
  constructor(
    readonly stream: string,
    readonly revision: number,
    readonly position: number,
    readonly reason: string,
  ) {
    super(`stream ${stream} revision ${revision} (position ${position}): ${reason}`);
  }
}

/** The last event of a stream as the chain check needs it; undefined for a stream not yet written. */
export interface ImportedStreamHead {
  revision: number;
  hash: string;
}

/**
 * The checks of EventStore.importEvents for one event, given its stream's current head and the
 * highest position already written (store head or previous event of the batch). Throws
 * ImportRejectedError naming the first problem. Ids already stored are the adapter's check.
 */
export function checkImportedEvent(
  event: RecordedEvent,
  head: ImportedStreamHead | undefined,
  lastPosition: number,
): void {
  const reject = (reason: string) => {
    throw new ImportRejectedError(event.stream, event.revision, event.position, reason);
  };
  if (!Number.isSafeInteger(event.position) || event.position <= lastPosition) {
    reject(`position ${event.position} is not greater than the last position ${lastPosition}`);
  }
  const expectedRevision = (head?.revision ?? -1) + 1;
  if (event.revision !== expectedRevision) {
    reject(`expected revision ${expectedRevision} of the stream, found ${event.revision}`);
  }
  if (event.metadata.eventId !== event.id) {
    reject(`metadata eventId ${String(event.metadata.eventId)} differs from the event id ${event.id}`);
  }
  const expectedPrevHash = head?.hash ?? GENESIS_HASH;
  if (event.metadata.prevHash !== expectedPrevHash) {
    reject('prevHash does not match the hash of the previous event of the stream');
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
    reject('the recorded hash does not match the recomputed hash (data, type or metadata changed)');
  }
}

/** Refuses an id that appears twice within one batch. */
export function assertUniqueIds(events: readonly RecordedEvent[]): void {
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event.id)) {
      throw new ImportRejectedError(event.stream, event.revision, event.position, `event id ${event.id} appears twice`);
    }
    seen.add(event.id);
  }
}
