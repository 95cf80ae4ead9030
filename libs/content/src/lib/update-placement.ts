import * as Y from 'yjs';
import { CONTENT_FIELD } from './document-building';

/**
 * Where an item lands: the kind of shared type that will hold it, and the attribute key if it is
 * an attribute rather than a child. `unknown` when that cannot be known yet (the item refers to
 * something neither the document nor the update has: yjs keeps it pending) or never matters (its
 * neighbour was garbage-collected: yjs drops it). `not-a-type` when it names an item that is not a
 * shared type as its parent.
 */
type ParentKind = 'fragment' | 'element' | 'text' | 'other' | 'unknown' | 'not-a-type';

interface Placement {
  readonly kind: ParentKind;
  readonly key: string | null;
}

const UNKNOWN: Placement = { kind: 'unknown', key: null };

function kindOfType(type: unknown): ParentKind {
  // Order matters: XmlElement extends XmlFragment, XmlText extends Text.
  if (type instanceof Y.XmlText) return 'text';
  if (type instanceof Y.XmlElement) return 'element';
  if (type instanceof Y.XmlFragment) return 'fragment';
  return 'other';
}

/**
 * Checks that every item of `update`, once applied to `doc`, sits where a ProseMirror document
 * (y-prosemirror / Tiptap) can hold it: children of the `content` fragment are Y.XmlElement,
 * children of elements are Y.XmlElement or Y.XmlText, children of a Y.XmlText are text and formatting marks, attributes are
 * plain values, and nothing is written outside the `content` fragment. Such misplaced content is
 * well-formed for yjs but makes y-prosemirror throw when rendering and can break editors.
 *
 * Returns a reason, or null when the update is acceptable. Resolves parents the way yjs does
 * (explicit parent, else the left origin's, else the right origin's), looking in `doc` and in the
 * update itself. Items whose parent is not known yet are let through (yjs keeps them pending).
 * Expects a structurally valid update (see `parseUpdateV1`).
 */
export function checkProseMirrorPlacement(doc: Y.Doc, update: Uint8Array, field = CONTENT_FIELD): string | null {
  doc.getXmlFragment(field); // make sure the root is known as a fragment, as the editor defines it
  const items = Y.decodeUpdate(update).structs.filter((struct): struct is Y.Item => struct instanceof Y.Item);
  const itemsByClient = new Map<number, Y.Item[]>();
  for (const item of items) {
    const list = itemsByClient.get(item.id.client) ?? [];
    list.push(item);
    itemsByClient.set(item.id.client, list);
  }

  const findInUpdate = (id: Y.ID): Y.Item | undefined => {
    const list = itemsByClient.get(id.client);
    if (!list) return undefined;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const item = list[mid];
      if (id.clock < item.id.clock) high = mid - 1;
      else if (id.clock >= item.id.clock + item.length) low = mid + 1;
      else return item;
    }
    return undefined;
  };

  const findInDocument = (id: Y.ID): Y.Item | Y.GC | undefined => {
    if (id.clock >= Y.getState(doc.store, id.client)) return undefined;
    return Y.getItem(doc.store, id) as Y.Item | Y.GC;
  };

  /** The kind of type that the item with this id *is* (for explicit parent references). */
  const typeKindOf = (id: Y.ID): ParentKind => {
    const struct = findInDocument(id) ?? findInUpdate(id);
    if (struct === undefined || struct instanceof Y.GC) return 'unknown';
    return struct.content instanceof Y.ContentType ? kindOfType(struct.content.type) : 'not-a-type';
  };

  const placements = new Map<Y.Item, Placement>();

  /** Placement of an update item, resolving chains of origins within the update iteratively. */
  const placementOf = (start: Y.Item): Placement => {
    const chain: Y.Item[] = [];
    const visited = new Set<Y.Item>();
    let current: Y.Item | undefined = start;
    let resolved: Placement | undefined;
    while (current && resolved === undefined) {
      const known = placements.get(current);
      if (known) {
        resolved = known;
        break;
      }
      const parent = current.parent as unknown;
      if (typeof parent === 'string') {
        resolved = { kind: parent === field ? 'fragment' : 'other', key: current.parentSub };
      } else if (parent instanceof Y.ID) {
        resolved = { kind: typeKindOf(parent), key: current.parentSub };
      } else {
        const neighbour = current.origin ?? current.rightOrigin;
        if (neighbour === null) {
          resolved = UNKNOWN;
          break;
        }
        const inDocument = findInDocument(neighbour);
        if (inDocument instanceof Y.Item) {
          resolved = inDocument.parent ? { kind: kindOfType(inDocument.parent), key: inDocument.parentSub } : UNKNOWN;
        } else if (inDocument instanceof Y.GC) {
          resolved = UNKNOWN;
        } else {
          const inUpdate = findInUpdate(neighbour);
          if (!inUpdate || visited.has(inUpdate) || inUpdate === current) {
            resolved = UNKNOWN;
          } else {
            chain.push(current);
            visited.add(current);
            current = inUpdate;
            continue;
          }
        }
      }
      chain.push(current);
    }
    const result = resolved ?? UNKNOWN;
    for (const item of chain) placements.set(item, result);
    return result;
  };

  for (const item of items) {
    const reason = misplacement(item, placementOf(item));
    if (reason) return `item ${item.id.client}:${item.id.clock}: ${reason}`;
  }
  return null;
}

function misplacement(item: Y.Item, placement: Placement): string | null {
  const content = item.content;
  if (content instanceof Y.ContentDeleted) return null;
  switch (placement.kind) {
    case 'unknown':
      return null;
    case 'not-a-type':
      return 'its parent is not a shared type';
    case 'other':
      return 'it is written outside the content fragment';
    default:
      break;
  }
  if (content instanceof Y.ContentDoc) return 'subdocuments are not allowed';
  if (placement.key !== null) {
    return content instanceof Y.ContentType ? 'an attribute cannot hold a shared type' : null;
  }
  if (placement.kind === 'text') {
    return content instanceof Y.ContentString || content instanceof Y.ContentFormat ? null : 'a text node can only hold text and marks';
  }
  const childKind = content instanceof Y.ContentType ? kindOfType(content.type) : null;
  if (placement.kind === 'fragment') {
    return childKind === 'element' ? null : 'only elements can be children of the document';
  }
  return childKind === 'element' || childKind === 'text' ? null : 'only elements and text can be children of a node';
}
