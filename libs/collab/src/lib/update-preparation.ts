import { DeleteRange, isNoopUpdate, ParsedUpdate, parseUpdateV1, StructRange } from '@concord/content';
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
 *
 * `parsed` is the update's parse from validation (`validateYjsUpdate(…).parsed`): the bytes are not
 * parsed again. The ranges of a trimmed update are derived from it too: `Y.diffUpdate` drops the
 * structs below the document's state vector and slices the one that straddles it at that clock,
 * and keeps the delete set whole.
 */
export function prepareUpdate(doc: Y.Doc, update: Uint8Array, parsed: ParsedUpdate = parseUpdateV1(update)): PreparedUpdate | null {
  if (isNoopUpdate(doc, parsed)) return null;
  const known = (struct: StructRange) => Y.getState(doc.store, struct.client);
  const carried = parsed.structs.filter((struct) => struct.kind !== 'skip');
  const carriesKnownStructs = carried.some((struct) => struct.clock < known(struct));
  let recorded = update;
  let structs: readonly StructRange[] = carried;
  if (carriesKnownStructs) {
    recorded = Y.diffUpdate(update, Y.encodeStateVector(doc));
    structs = trimStructs(carried, known);
  }
  const clientIds = [...new Set(structs.map((struct) => struct.client))].sort((a, b) => a - b);
  return { update: recorded, clientIds, structs, deletes: parsed.deletes };
}

/** The struct ranges `Y.diffUpdate` keeps: what lies at or above the document's clock of each client. */
export function trimStructs(structs: readonly StructRange[], known: (struct: StructRange) => number): StructRange[] {
  const kept: StructRange[] = [];
  for (const struct of structs) {
    const from = known(struct);
    const end = struct.clock + struct.length;
    if (end <= from) continue;
    kept.push(struct.clock >= from ? struct : { ...struct, clock: from, length: end - from });
  }
  return kept;
}
