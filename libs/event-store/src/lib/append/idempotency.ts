import { IdempotencyConflictError } from '../errors';
import type { AppendResult } from '../event-store.port';

/** Where an event id is already stored, as the adapters look it up (ids are unique store-wide). */
export interface StoredEventLocation {
  id: string;
  stream: string;
  revision: number;
  position: number;
}

/**
 * Decides whether an append is a retry of one that already succeeded (as KurrentDB does):
 * - none of the ids is stored → `null`, append normally;
 * - all of them are stored in this stream, in the same order at consecutive revisions → the result
 *   the original append returned (revision and position of the batch's last event), store nothing;
 * - anything else (some ids new, another stream, another order) → IdempotencyConflictError, because
 *   silently dropping or duplicating part of a batch would corrupt the stream.
 *
 * The expected revision is deliberately not re-checked for a full replay: a client that retries
 * after a lost acknowledgement sends the same expected revision, which the first attempt has moved.
 */
export function detectIdempotentReplay(
  stream: string,
  eventIds: readonly string[],
  stored: ReadonlyMap<string, StoredEventLocation>,
): AppendResult | null {
  assertNoDuplicateIds(stream, eventIds);
  if (stored.size === 0) return null;

  const firstLocation = stored.get(eventIds[0]);
  eventIds.forEach((id, index) => {
    const location = stored.get(id);
    const inPlace =
      location !== undefined &&
      firstLocation !== undefined &&
      location.stream === stream &&
      location.revision === firstLocation.revision + index;
    if (!inPlace) throw new IdempotencyConflictError(stream, id);
  });

  const last = stored.get(eventIds[eventIds.length - 1]) as StoredEventLocation;
  return { nextExpectedRevision: last.revision, position: last.position };
}

function assertNoDuplicateIds(stream: string, eventIds: readonly string[]): void {
  const seen = new Set<string>();
  for (const id of eventIds) {
    if (seen.has(id)) throw new IdempotencyConflictError(stream, id);
    seen.add(id);
  }
}
