import { contentHash } from '@concord/domain';
import { canonicalJson } from '@concord/integrity';
import { yXmlFragmentToProsemirrorJSON } from 'y-prosemirror';
import * as Y from 'yjs';
import { BLOCK_ID_ATTRIBUTE, withoutBlockIds } from './block-ids';
import { CONTENT_FIELD } from './document-building';
import { collectTextPieces } from './document-text';

export interface ProseMirrorMarkJson {
  type: string;
  attrs?: Record<string, unknown>;
}

export interface ProseMirrorNodeJson {
  type: string;
  attrs?: Record<string, unknown>;
  content?: ProseMirrorNodeJson[];
  marks?: ProseMirrorMarkJson[];
  text?: string;
}

export interface ProseMirrorDocJson {
  type: 'doc';
  content: ProseMirrorNodeJson[];
}

/** The document with nothing in it, as every function here renders and hashes it. */
export const EMPTY_DOCUMENT_JSON: Readonly<ProseMirrorDocJson> = Object.freeze({ type: 'doc', content: [] });

/**
 * The ProseMirror JSON of the document's `content` fragment (y-prosemirror's rendering),
 * normalised by `normaliseProseMirrorJson`.
 */
export function toProseMirrorJson(doc: Y.Doc, field = CONTENT_FIELD): ProseMirrorDocJson {
  const fragment = doc.getXmlFragment(field);
  let rendered: unknown;
  try {
    rendered = yXmlFragmentToProsemirrorJSON(fragment);
  } catch {
    // y-prosemirror throws on content no editor writes (e.g. a bare string or a Y.XmlHook among a
    // node's children). Such content gets past validation only without a placement check; render
    // what ProseMirror can represent rather than making the revision unreadable.
    rendered = renderFragmentLeniently(fragment);
  }
  return normaliseProseMirrorJson(rendered);
}

/** y-prosemirror's mark attribute names: `bold`, or `link--<hash>` for marks that may overlap. */
const HASHED_MARK_NAME = /(.*)(--[a-zA-Z0-9+/=]{8})$/;

/**
 * The same rendering as y-prosemirror's `yXmlFragmentToProsemirrorJSON`, skipping anything that is
 * not a Y.XmlElement or Y.XmlText (and non-text inserts inside text).
 */
export function renderFragmentLeniently(fragment: Y.XmlFragment): { type: 'doc'; content: unknown[] } {
  const serialise = (child: unknown): unknown[] => {
    if (child instanceof Y.XmlText) {
      return (child.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>)
        .filter((op) => typeof op.insert === 'string')
        .map((op) => {
          const node: Record<string, unknown> = { type: 'text', text: op.insert };
          if (op.attributes) {
            node['marks'] = Object.entries(op.attributes).map(([name, attrs]) => ({
              type: HASHED_MARK_NAME.exec(name)?.[1] ?? name,
              attrs,
            }));
          }
          return node;
        });
    }
    if (child instanceof Y.XmlElement) {
      const node: Record<string, unknown> = { type: child.nodeName };
      const attrs = child.getAttributes();
      if (Object.keys(attrs).length > 0) node['attrs'] = attrs;
      const content = child.toArray().flatMap(serialise);
      if (content.length > 0) node['content'] = content;
      return [node];
    }
    return [];
  };
  return { type: 'doc', content: fragment.toArray().flatMap(serialise) };
}

/**
 * Brings ProseMirror JSON to one form, so that the same content gives the same JSON however it was
 * typed: `{type: 'doc', content: [...]}` always has `content`; empty `attrs`, `marks`, `content` and
 * empty text nodes are dropped; marks are sorted by type (then attributes); adjacent text nodes with
 * the same marks are joined; a document holding only one bare empty paragraph is the empty document
 * (that is what an editor shows for an empty fragment). Idempotent.
 */
export function normaliseProseMirrorJson(json: unknown): ProseMirrorDocJson {
  const root = isRecord(json) ? json : {};
  const content = normaliseChildren(root['content']);
  if (content.length === 1 && isBareEmptyParagraph(content[0])) {
    return { type: 'doc', content: [] };
  }
  return { type: 'doc', content };
}

function isBareEmptyParagraph(node: ProseMirrorNodeJson): boolean {
  if (node.type !== 'paragraph' || node.content !== undefined || node.marks !== undefined) return false;
  // An empty paragraph that only has its block id is still what an editor shows for an empty text.
  return node.attrs === undefined || Object.keys(node.attrs).every((name) => name === BLOCK_ID_ATTRIBUTE);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function normaliseChildren(children: unknown): ProseMirrorNodeJson[] {
  if (!Array.isArray(children)) return [];
  const result: ProseMirrorNodeJson[] = [];
  // y-prosemirror renders an XmlText as an array of text nodes: flatten at any depth.
  for (const child of children.flat(Infinity) as unknown[]) {
    const node = normaliseNode(child);
    if (node === null) continue;
    const previous = result[result.length - 1];
    if (node.type === 'text' && previous?.type === 'text' && sameMarks(previous.marks, node.marks)) {
      previous.text = `${previous.text}${node.text}`;
    } else {
      result.push(node);
    }
  }
  return result;
}

function normaliseNode(value: unknown): ProseMirrorNodeJson | null {
  if (!isRecord(value) || typeof value['type'] !== 'string') return null;
  const node: ProseMirrorNodeJson = { type: value['type'] };
  const attrs = value['attrs'];
  if (isRecord(attrs)) {
    // An editor's JSON says `id: null` for a block that has no id yet; the stored document has no attribute.
    const kept = Object.entries(attrs).filter(([name, attr]) => !(name === BLOCK_ID_ATTRIBUTE && attr === null));
    if (kept.length > 0) node.attrs = Object.fromEntries(kept);
  }
  if (node.type === 'text') {
    const text = value['text'];
    if (typeof text !== 'string' || text.length === 0) return null;
    node.text = text;
  } else {
    const content = normaliseChildren(value['content']);
    if (content.length > 0) node.content = content;
  }
  const marks = normaliseMarks(value['marks']);
  if (marks.length > 0) node.marks = marks;
  return node;
}

function normaliseMarks(value: unknown): ProseMirrorMarkJson[] {
  if (!Array.isArray(value)) return [];
  const marks: Array<{ mark: ProseMirrorMarkJson; key: string }> = [];
  for (const entry of value) {
    if (!isRecord(entry) || typeof entry['type'] !== 'string') continue;
    const mark: ProseMirrorMarkJson = { type: entry['type'] };
    const attrs = entry['attrs'];
    if (isRecord(attrs) && Object.keys(attrs).length > 0) mark.attrs = { ...attrs };
    marks.push({ mark, key: canonicalJson(mark) });
  }
  marks.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return marks.map((entry) => entry.mark);
}

function sameMarks(a: ProseMirrorMarkJson[] | undefined, b: ProseMirrorMarkJson[] | undefined): boolean {
  return canonicalJson(a ?? []) === canonicalJson(b ?? []);
}

/**
 * The content hash of a revision from any ProseMirror JSON: normalises it first, then hashes it as
 * `contentHash` of libs/domain does (sha256, lower-case hex, of the RFC 8785 canonical JSON). The same
 * content hashes the same however it was typed. (Domain's `contentHash` hashes JSON as given.)
 * Block ids are not hashed: they say which paragraph is which, not what the text says (`block-ids.ts`).
 */
export function normalisedContentHash(pmJson: unknown): string {
  return contentHash({ ...withoutBlockIds(normaliseProseMirrorJson(pmJson)) });
}

/** `normalisedContentHash(toProseMirrorJson(doc))`. */
export function contentHashOfDocument(doc: Y.Doc, field = CONTENT_FIELD): string {
  return normalisedContentHash(toProseMirrorJson(doc, field));
}

/**
 * The plain text of the `content` fragment: lines (paragraphs, headings, list items' paragraphs…)
 * joined by "\n"; "\n" characters inside a text node are kept. Agrees with the revision diff: the
 * equal and inserted spans of `diffRevisions(a, b)` concatenate to `toPlainText(b)`.
 */
export function toPlainText(doc: Y.Doc, field = CONTENT_FIELD): string {
  return collectTextPieces(doc.getXmlFragment(field), { kind: 'current' })
    .map((piece) => piece.text)
    .join('');
}
