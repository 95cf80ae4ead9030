import { computeEventHash, GENESIS_HASH } from '@concord/integrity';
import type { EventData, EventMetadata, JsonValue, NewEvent } from '../event-store.port';

/** The last event of a stream as the hash chain needs it; revision -1 for a stream not yet written. */
export interface StreamHead {
  revision: number;
  hash: string;
}

export const EMPTY_STREAM_HEAD: StreamHead = { revision: -1, hash: GENESIS_HASH };

/** An event ready to be written: revision assigned, metadata complete and hashed; no position yet. */
export interface SealedEvent {
  id: string;
  stream: string;
  revision: number;
  type: string;
  data: EventData;
  metadata: EventMetadata;
}

/**
 * Assigns revisions after `head` and chains each event to its predecessor:
 * metadata gets `eventId`, `at` (the caller's, or now), `prevHash`, and
 * `hash = computeEventHash(prevHash, stream, revision, type, data, metadata-without-hash)`.
 *
 * Payloads and metadata are normalised to exactly what the adapters store and read back (JSON
 * through a stringify/parse round trip, bytes copied, undefined metadata dropped), so that a
 * re-computed hash over a read event equals the stored one, and a caller mutating its objects
 * after the append cannot alter what was hashed.
 */
export function sealEvents(
  stream: string,
  head: StreamHead,
  events: readonly NewEvent[],
  now: () => string = () => new Date().toISOString(),
): SealedEvent[] {
  let prevHash = head.hash;
  return events.map((event, index) => {
    const revision = head.revision + 1 + index;
    const data = normalizeData(event.data);
    const metadataWithoutHash = normalizeMetadata({
      ...event.metadata,
      eventId: event.id,
      at: event.metadata.at ?? now(),
      prevHash,
    });
    const hash = computeEventHash({
      prevHash,
      stream,
      revision,
      type: event.type,
      data,
      metadata: metadataWithoutHash,
    });
    prevHash = hash;
    return {
      id: event.id,
      stream,
      revision,
      type: event.type,
      data,
      metadata: { ...metadataWithoutHash, hash } as EventMetadata,
    };
  });
}

function normalizeData(data: EventData): EventData {
  if (data instanceof Uint8Array) return new Uint8Array(data);
  const json = JSON.stringify(data);
  if (json === undefined) throw new TypeError('Event data must be JSON or a Uint8Array');
  return JSON.parse(json) as JsonValue;
}

/**
 * Drops any caller-supplied `hash` (the store computes it) and round-trips through JSON, which
 * drops undefined values and turns NaN into null exactly as storing it would.
 */
function normalizeMetadata(
  metadata: Record<string, string | number | boolean | undefined>,
): Omit<EventMetadata, 'hash'> {
  const withoutHash = { ...metadata };
  delete withoutHash['hash'];
  return JSON.parse(JSON.stringify(withoutHash)) as Omit<EventMetadata, 'hash'>;
}
