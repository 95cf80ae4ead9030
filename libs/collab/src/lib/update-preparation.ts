import { isNoopUpdate, parseUpdateV1 } from '@concord/content';
import * as Y from 'yjs';

export interface PreparedUpdate {
  /** What to record: the update minus the structs the document already holds. */
  readonly update: Uint8Array;
  /** Yjs client ids whose new structs the update carries, ascending. */
  readonly clientIds: number[];
}

/**
 * Decides what of a validated update is worth recording against the live document: null when it
 * changes nothing. Structs the document already has (a reconnecting client's SyncStep2 repeats other
 * people's text) are cut off, so every recorded struct is attributed to the event that first carried
 * it, that is to its author.
 */
export function prepareUpdate(doc: Y.Doc, update: Uint8Array): PreparedUpdate | null {
  if (isNoopUpdate(doc, update)) return null;
  let structs = parseUpdateV1(update).structs;
  let recorded = update;
  const carriesKnownStructs = structs.some(
    (struct) => struct.kind !== 'skip' && struct.clock < Y.getState(doc.store, struct.client),
  );
  if (carriesKnownStructs) {
    recorded = Y.diffUpdate(update, Y.encodeStateVector(doc));
    structs = parseUpdateV1(recorded).structs;
  }
  const clientIds = new Set<number>();
  for (const struct of structs) if (struct.kind !== 'skip') clientIds.add(struct.client);
  return { update: recorded, clientIds: [...clientIds].sort((a, b) => a - b) };
}
