import { BLOCK_ID_ATTRIBUTE, CONTENT_FIELD, recordedDocument, SUGGESTION_DELETE, SUGGESTION_INSERT, SUGGESTION_MARK_NAMES, type ParsedUpdate } from '@concord/content';
import * as Y from 'yjs';

/**
 * Suggest-only writing, enforced on the server. A delegate (a member state's focal point) may
 * change the text only by suggesting: words they insert carry their `suggestionInsert` mark, words
 * they propose to delete get their `suggestionDelete` mark and stay. The check is semantic, on the
 * document before and after the update (applied to a copy, never to the live document): with the
 * writer's own suggestions taken back — their proposed words removed, their deletion marks lifted —
 * the two must read exactly alike, structure, attributes, other marks and others' suggestions
 * included. So an unmarked insertion, a real deletion, a formatting change, a new paragraph, or a
 * mark claiming someone else all change that reading and are refused; typing inside one's own open
 * suggestion, or withdrawing it, does not. It does not depend on how a client encodes its changes
 * (format items, cleanup of redundant ones): only on what the text says.
 *
 * Cost: a copy of the document per checked update (encodeStateAsUpdate + applyUpdate) and two walks
 * of it — linear in the document, paid for suggest-only writers only.
 */
export function suggestOnlyRefusal(doc: Y.Doc, update: Uint8Array, userId: string): string | null {
  const after = copyWith(doc, update);
  try {
    // An update that builds on changes the server does not have (say, words typed into a paragraph
    // whose creation was refused) would wait, unapplied, and read as "no change": refuse it. Only
    // this update's own structs count: the live document may already hold another writer's waiting
    // ones, and they must not make every suggestion after them look like this one's fault.
    if (leftWaiting(doc, after, update)) {
      return 'Only suggestions are recorded for you; this change builds on one that was not recorded.';
    }
    const before = readingWithout(doc.getXmlFragment(CONTENT_FIELD), userId);
    if (before !== readingWithout(after.getXmlFragment(CONTENT_FIELD), userId)) {
      return 'Only suggestions are recorded for you: insert and delete words in suggestion mode, marked as yours; this change was not.';
    }
    // The reading leaves block ids out: an editor may give a block that has none its id, never change one.
    return changesABlockId(doc.getXmlFragment(CONTENT_FIELD), after.getXmlFragment(CONTENT_FIELD))
      ? 'Only suggestions are recorded for you; this change gives a paragraph another identity (its block id).'
      : null;
  } finally {
    after.destroy();
  }
}

/** Same structure on both sides (the readings matched): does a block that had an id have another one? */
function changesABlockId(before: Y.XmlFragment | Y.XmlElement, after: Y.XmlFragment | Y.XmlElement): boolean {
  const a = before.toArray();
  const b = after.toArray();
  return a.some((child, index) => {
    const other = b[index];
    if (!(child instanceof Y.XmlElement) || !(other instanceof Y.XmlElement)) return false;
    const id = child.getAttribute(BLOCK_ID_ATTRIBUTE) as unknown;
    if (id !== undefined && id !== null && other.getAttribute(BLOCK_ID_ATTRIBUTE) !== id) return true;
    return changesABlockId(child, other);
  });
}

/**
 * For every writer: an update may not add a suggestion mark that names someone else. Accepting or
 * rejecting others' suggestions (removing their marks or their words) is allowed; forging one is
 * not. Only updates that carry format items can add a mark, so the others skip the copy.
 */
export function foreignSuggestionRefusal(doc: Y.Doc, update: Uint8Array, parsed: ParsedUpdate | undefined, userId: string): string | null {
  if (parsed && !parsed.structs.some((struct) => struct.kind === 'format')) return null;
  const after = copyWith(doc, update);
  try {
    const existing = new Set(suggestionMarks(doc.getXmlFragment(CONTENT_FIELD)));
    const forged = suggestionMarks(after.getXmlFragment(CONTENT_FIELD)).find((mark) => !existing.has(mark) && JSON.parse(mark).authorId !== userId);
    return forged === undefined ? null : `A suggestion may only name its own author; this change names ${String(JSON.parse(forged).authorId).slice(0, 64)}.`;
  } finally {
    after.destroy();
  }
}

/**
 * Did applying `update` (to `after`, a copy of `doc`) leave any of its own structs or deletions
 * waiting? Structs the live document already holds waiting (another writer's, or echoed back by a
 * client that synced them from us) are not this update's doing.
 */
function leftWaiting(doc: Y.Doc, after: Y.Doc, update: Uint8Array): boolean {
  // (Yjs keeps waiting structs encoded in the v2 update format.)
  const alreadyWaiting = doc.store.pendingStructs ? Y.decodeUpdateV2(doc.store.pendingStructs.update).structs : [];
  const waitedBefore = (client: number, clock: number, end: number) =>
    alreadyWaiting.some((struct) => struct.id.client === client && struct.id.clock <= clock && struct.id.clock + struct.length >= end);
  for (const struct of Y.decodeUpdate(update).structs) {
    if (struct instanceof Y.Skip) continue;
    const end = struct.id.clock + struct.length;
    if (Y.getState(after.store, struct.id.client) < end && !waitedBefore(struct.id.client, struct.id.clock, end)) return true;
  }
  const deletesBefore = doc.store.pendingDs;
  const deletesAfter = after.store.pendingDs;
  return deletesAfter !== null && (deletesBefore === null || deletesAfter.length !== deletesBefore.length);
}

function copyWith(doc: Y.Doc, update: Uint8Array): Y.Doc {
  const copy = recordedDocument();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  Y.applyUpdate(copy, update);
  return copy;
}

type Attributes = Record<string, unknown>;
const authorOf = (attributes: Attributes, mark: string): unknown => (attributes[mark] as { authorId?: unknown } | null | undefined)?.authorId;

/** Stable JSON (keys sorted at every level), so that equal readings compare equal as strings. */
function stable(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  return `{${Object.keys(value as Attributes).sort().map((key) => `${JSON.stringify(key)}:${stable((value as Attributes)[key])}`).join(',')}}`;
}

/** The text as it reads with `userId`'s own suggestions taken back. */
export function readingWithout(fragment: Y.XmlFragment, userId: string): string {
  const parts: string[] = [];
  const walk = (node: Y.XmlElement | Y.XmlText | Y.XmlFragment): void => {
    if (node instanceof Y.XmlText) {
      let run: { text: string; attributes: string } | null = null;
      const runs: string[] = [];
      const flush = () => {
        if (run) runs.push(`${JSON.stringify(run.text)}${run.attributes}`);
        run = null;
      };
      for (const op of node.toDelta() as Array<{ insert: unknown; attributes?: Attributes }>) {
        const attributes: Attributes = { ...(op.attributes ?? {}) };
        if (authorOf(attributes, SUGGESTION_INSERT) === userId) continue;
        if (authorOf(attributes, SUGGESTION_DELETE) === userId) delete attributes[SUGGESTION_DELETE];
        const key = stable(attributes);
        if (typeof op.insert === 'string') {
          const current = run as { text: string; attributes: string } | null;
          if (current && current.attributes === key) current.text += op.insert;
          else {
            flush();
            run = { text: op.insert, attributes: key };
          }
        } else {
          flush();
          runs.push(`embed${stable(op.insert instanceof Y.AbstractType ? op.insert.toJSON() : op.insert)}${key}`);
        }
      }
      flush();
      parts.push(`t[${runs.join(',')}]`);
      return;
    }
    if (node instanceof Y.XmlElement) {
      const attributes = Object.entries(node.getAttributes() as Attributes).filter(([name]) => name !== BLOCK_ID_ATTRIBUTE);
      parts.push(`<${node.nodeName}${stable(Object.fromEntries(attributes))}>`);
    }
    else parts.push('<fragment>');
    for (const child of node.toArray()) walk(child as Y.XmlElement | Y.XmlText);
    parts.push('</>');
  };
  walk(fragment);
  return parts.join('');
}

/** Every suggestion mark in the text, as stable JSON {mark, id, authorId, at}. */
function suggestionMarks(fragment: Y.XmlFragment): string[] {
  const marks: string[] = [];
  const walk = (node: Y.XmlElement | Y.XmlText | Y.XmlFragment): void => {
    if (node instanceof Y.XmlText) {
      for (const op of node.toDelta() as Array<{ attributes?: Attributes }>) {
        for (const mark of SUGGESTION_MARK_NAMES) {
          const value = op.attributes?.[mark];
          if (value && typeof value === 'object') marks.push(stable({ mark, ...(value as Attributes) }));
        }
      }
      return;
    }
    for (const child of node.toArray()) walk(child as Y.XmlElement | Y.XmlText);
  };
  walk(fragment);
  return marks;
}
