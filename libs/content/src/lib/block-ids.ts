import { Extension } from '@tiptap/core';
import * as Y from 'yjs';
import { CONTENT_FIELD, recordedDocument } from './document-building';

/**
 * Stable block ids (ARCHITECTURE §7, "Paragraph identity"). Every paragraph, heading and list item
 * carries an `id` attribute that stays with it across revisions, so "para 3.4" of an export, a
 * moved paragraph in a diff or a comment's paragraph mean the same words from one revision to the
 * next. The web editor writes them (`@tiptap/extension-unique-id`, configured with these types and
 * this attribute); the server keeps it true for every client: after it records an edit, a block
 * without an id, or with one an earlier block already has (a copy-paste), gets a fresh id in an
 * update of the server's own (`blockIdRepairUpdate`, kind `numbering`).
 */
export const BLOCK_ID_ATTRIBUTE = 'id';
export const BLOCK_ID_TYPES: readonly string[] = ['paragraph', 'heading', 'listItem'];
/** What an id may look like: the editor's UUIDs, or any short token of letters, digits, `-` and `_`. */
export const BLOCK_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The `id` attribute exactly as `@tiptap/extension-unique-id` declares it (default null, read from and
 * written to `data-id`), for the server's schema, which needs the attribute but never generates ids
 * in an editor. The web editor's schema is compared with the server's by a test.
 */
export const BlockIdAttribute = Extension.create({
  name: 'blockIdAttribute',
  addGlobalAttributes() {
    return [
      {
        types: [...BLOCK_ID_TYPES],
        attributes: {
          [BLOCK_ID_ATTRIBUTE]: {
            default: null,
            parseHTML: (element: HTMLElement) => element.getAttribute(`data-${BLOCK_ID_ATTRIBUTE}`),
            renderHTML: (attributes: Record<string, unknown>) =>
              attributes[BLOCK_ID_ATTRIBUTE] ? { [`data-${BLOCK_ID_ATTRIBUTE}`]: attributes[BLOCK_ID_ATTRIBUTE] } : {},
          },
        },
      },
    ];
  },
});

export function isBlockIdType(nodeName: string): boolean {
  return BLOCK_ID_TYPES.includes(nodeName);
}

/** The elements of the fragment that carry an id, in document order (depth first). */
function forEachBlock(fragment: Y.XmlFragment, visit: (element: Y.XmlElement) => void): void {
  const walk = (node: Y.XmlFragment | Y.XmlElement): void => {
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (isBlockIdType(child.nodeName)) visit(child);
      walk(child);
    }
  };
  walk(fragment);
}

/**
 * The blocks whose id must be (re)assigned, in document order: those without a valid id, and every
 * later holder of an id an earlier block already has (the first keeps it: that is the original).
 */
export function blocksNeedingIds(doc: Y.Doc, field = CONTENT_FIELD): Y.XmlElement[] {
  const seen = new Set<string>();
  const needing: Y.XmlElement[] = [];
  forEachBlock(doc.getXmlFragment(field), (element) => {
    const id = element.getAttribute(BLOCK_ID_ATTRIBUTE) as unknown;
    if (typeof id !== 'string' || !BLOCK_ID_PATTERN.test(id) || seen.has(id)) needing.push(element);
    else seen.add(id);
  });
  return needing;
}

export interface BlockIdRepairOptions {
  /** The Yjs client id the repair's structs carry: the server's, used by no replica. */
  readonly clientId: number;
  readonly field?: string;
  /** Makes a fresh id (default: a random UUID). */
  readonly newId?: () => string;
}

/**
 * An update of its own that gives every block needing one a fresh id (see `blocksNeedingIds`), or
 * null when every block already has its own. `doc` is not modified.
 */
export function blockIdRepairUpdate(doc: Y.Doc, options: BlockIdRepairOptions): Uint8Array | null {
  const field = options.field ?? CONTENT_FIELD;
  if (blocksNeedingIds(doc, field).length === 0) return null;
  const newId = options.newId ?? (() => globalThis.crypto.randomUUID());
  const work = recordedDocument({ gc: doc.gc });
  try {
    Y.applyUpdate(work, Y.encodeStateAsUpdate(doc));
    // Only now: yjs gives a document a new random client id when a remote update advances its own.
    work.clientID = options.clientId;
    const stateBefore = Y.encodeStateVector(work);
    work.transact(() => {
      for (const element of blocksNeedingIds(work, field)) element.setAttribute(BLOCK_ID_ATTRIBUTE, newId());
    });
    return Y.encodeStateAsUpdate(work, stateBefore);
  } finally {
    work.destroy();
  }
}

/** A Yjs client id no replica of this document has written with (for an update the server writes). */
export function unusedClientId(doc: Y.Doc): number {
  const random = new Uint32Array(1);
  for (;;) {
    globalThis.crypto.getRandomValues(random);
    const candidate = random[0];
    if (candidate > 0 && !doc.store.clients.has(candidate)) return candidate;
  }
}

interface JsonNode {
  type?: unknown;
  attrs?: Record<string, unknown>;
  content?: unknown;
}

/**
 * A copy of ProseMirror JSON with an id on every block that may carry one and has none (or a
 * duplicate): what the server writes when it seeds or imports a text, so that it starts numbered.
 */
export function withBlockIds<T>(json: T, newId: () => string = () => globalThis.crypto.randomUUID()): T {
  const seen = new Set<string>();
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value === null || typeof value !== 'object') return value;
    const node = { ...(value as JsonNode) };
    if (typeof node.type === 'string' && isBlockIdType(node.type)) {
      const id = node.attrs?.[BLOCK_ID_ATTRIBUTE];
      if (typeof id === 'string' && BLOCK_ID_PATTERN.test(id) && !seen.has(id)) seen.add(id);
      else node.attrs = { ...(node.attrs ?? {}), [BLOCK_ID_ATTRIBUTE]: newId() };
    }
    if (Array.isArray(node.content)) node.content = node.content.map(visit);
    return node;
  };
  return visit(json) as T;
}

/**
 * A copy of ProseMirror JSON without block ids: what a content hash covers. Ids say which paragraph is
 * which, not what the text says, so the server's repairs (and the editor's) never make an approval stale.
 */
export function withoutBlockIds<T>(json: T): T {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value === null || typeof value !== 'object') return value;
    const node = { ...(value as JsonNode) };
    if (typeof node.type === 'string' && isBlockIdType(node.type) && node.attrs && BLOCK_ID_ATTRIBUTE in node.attrs) {
      const rest = Object.fromEntries(Object.entries(node.attrs).filter(([name]) => name !== BLOCK_ID_ATTRIBUTE));
      if (Object.keys(rest).length > 0) node.attrs = rest;
      else delete node.attrs;
    }
    if (Array.isArray(node.content)) node.content = node.content.map(visit);
    return node;
  };
  return visit(json) as T;
}

/** The block ids of ProseMirror JSON in document order (null for a block without one). */
export function blockIdsOf(json: unknown): Array<string | null> {
  const ids: Array<string | null> = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    const node = value as JsonNode;
    if (typeof node.type === 'string' && isBlockIdType(node.type)) {
      const id = node.attrs?.[BLOCK_ID_ATTRIBUTE];
      ids.push(typeof id === 'string' ? id : null);
    }
    visit(node.content);
  };
  visit(json);
  return ids;
}
