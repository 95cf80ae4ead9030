import { canonicalJson, canonicalJsonWithout } from './canonical-json';
import { sha256OfParts } from './sha256';

/** prevHash of the first event of every stream. */
export const GENESIS_HASH = '0'.repeat(64);

/** What the hash of one stored event covers (ARCHITECTURE §3). */
export interface HashableEvent {
  prevHash: string;
  stream: string;
  /** 0-based position of the event in its stream. */
  revision: number;
  type: string;
  /** JSON payload, or the raw bytes of a binary payload (a Yjs update). */
  data: unknown;
  /** Every metadata field except `hash` itself (`prevHash` included). */
  metadata: Record<string, unknown>;
}

/**
 * hash = sha256(prevHash ‖ stream ‖ revision ‖ type ‖ data ‖ canonical metadata-without-hash).
 * Binary data is hashed as its bytes, JSON data as its canonical JSON; a tag keeps the two apart.
 */
export function computeEventHash(event: HashableEvent): string {
  const dataPart =
    event.data instanceof Uint8Array ? event.data : canonicalJson(event.data);
  return sha256OfParts([
    event.prevHash,
    event.stream,
    String(event.revision),
    event.type,
    event.data instanceof Uint8Array ? 'binary' : 'json',
    dataPart,
    canonicalJsonWithout(event.metadata, 'hash'),
  ]);
}
