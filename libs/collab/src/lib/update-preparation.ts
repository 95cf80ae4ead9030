import { DeleteRange, isNoopUpdate, parseUpdateV1, StructRange } from '@concord/content';
import * as Y from 'yjs';

export interface PreparedUpdate {
  /** What to record: the update minus the structs the document already holds. */
  readonly update: Uint8Array;
  /** Yjs client ids whose new structs the update carries, ascending. */
  readonly clientIds: number[];
  /** The clock ranges the recorded update carries and deletes. */
  readonly structs: readonly StructRange[];
  readonly deletes: readonly DeleteRange[];
}

/**
 * Decides what of a validated update is worth recording against the live document: null when it
 * changes nothing. Structs the document already has (a reconnecting client's SyncStep2 repeats other
 * people's text) are cut off, so every recorded struct is attributed to the event that first carried
 * it, that is to its author.
 */
export function prepareUpdate(doc: Y.Doc, update: Uint8Array): PreparedUpdate | null {
  if (isNoopUpdate(doc, update)) return null;
  let parsed = parseUpdateV1(update);
  let recorded = update;
  const carriesKnownStructs = parsed.structs.some(
    (struct) => struct.kind !== 'skip' && struct.clock < Y.getState(doc.store, struct.client),
  );
  if (carriesKnownStructs) {
    recorded = Y.diffUpdate(update, Y.encodeStateVector(doc));
    parsed = parseUpdateV1(recorded);
  }
  const structs = parsed.structs.filter((struct) => struct.kind !== 'skip');
  const clientIds = [...new Set(structs.map((struct) => struct.client))].sort((a, b) => a - b);
  return { update: recorded, clientIds, structs, deletes: parsed.deletes };
}
