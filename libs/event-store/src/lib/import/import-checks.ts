import { chainLinkProblem, type ChainLinkHead } from '../chain/chain-link';
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
export type ImportedStreamHead = ChainLinkHead;

/**
 * The checks of EventStore.importEvents for one event, given its stream's current head and the
 * highest position already written (store head or previous event of the batch): positions grow,
 * and the event links to its stream (chainLinkProblem). Throws ImportRejectedError naming the first
 * problem. Ids already stored are the adapter's check.
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
  const problem = chainLinkProblem(event, head);
  if (problem) reject(problem);
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
