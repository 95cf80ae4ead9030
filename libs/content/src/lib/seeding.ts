import type { Schema } from '@tiptap/pm/model';
import { prosemirrorToYXmlFragment } from 'y-prosemirror';
import * as Y from 'yjs';
import { withBlockIds } from './block-ids';
import { CONTENT_FIELD } from './document-building';
import { getEditorSchema } from './editor-schema';
import { validateYjsUpdate } from './update-validation';
import type { ProseMirrorDocJson, ProseMirrorMarkJson, ProseMirrorNodeJson } from './rendering';

/**
 * Client id used for seeds when none is given. Any fixed id makes seeds reproducible; pass a
 * distinct one per seeding actor if several may seed the same document.
 */
export const DEFAULT_SEED_CLIENT_ID = 1;

/** The editor's schema (`getEditorSchema`); the name predates Link's own configuration. */
export function getStarterKitSchema(): Schema {
  return getEditorSchema();
}

export interface SeedOptions {
  /** The client id the seed's structs carry (default `DEFAULT_SEED_CLIENT_ID`). */
  readonly clientId?: number;
  /** Schema to validate and fill defaults with (default: the editor's, `getEditorSchema()`). */
  readonly schema?: Schema;
  /**
   * Makes the stable id of each block that has none (`block-ids.ts`); default: `s1`, `s2`… in
   * document order, so a seed stays deterministic. Ids the JSON already carries are kept.
   */
  readonly newBlockId?: () => string;
}

/**
 * An update that creates the given ProseMirror document in the `content` fragment of an empty
 * Y.Doc, exactly as Tiptap's Collaboration would store it. The JSON is checked against the schema
 * (unknown nodes or invalid nesting throw) and default attributes are filled in; with the editor's
 * schema, the update must also pass the check every incoming update passes (`validateYjsUpdate`:
 * attribute values such as heading levels 2–3 only), or this throws with its reason. Every
 * paragraph, heading and list item gets its stable id (`withBlockIds`).
 * Deterministic: the same JSON and client id give the same bytes.
 */
export function seedUpdateFromProseMirrorJson(pmJson: ProseMirrorDocJson | Record<string, unknown>, options: SeedOptions = {}): Uint8Array {
  const doc = new Y.Doc();
  try {
    doc.clientID = options.clientId ?? DEFAULT_SEED_CLIENT_ID;
    const schema = options.schema ?? getStarterKitSchema();
    let counter = 0;
    const node = schema.nodeFromJSON(withBlockIds(pmJson, options.newBlockId ?? (() => `s${++counter}`)));
    node.check(); // fromJSON alone accepts content the schema does not allow
    doc.transact(() => {
      prosemirrorToYXmlFragment(node, doc.getXmlFragment(CONTENT_FIELD));
    });
    const update = Y.encodeStateAsUpdate(doc);
    if (options.schema === undefined) {
      const validation = validateYjsUpdate(update, { allowedRootTypes: [CONTENT_FIELD] });
      if (!validation.ok) throw new RangeError(`the seed is not content the editor accepts: ${validation.reason}`);
    }
    return update;
  } finally {
    doc.destroy();
  }
}

/** A block of a seed document, for `seedUpdateFromParagraphs`. */
export type SeedBlock =
  | string
  | { readonly paragraph: string; readonly bold?: boolean; readonly italic?: boolean }
  | { readonly heading: string; readonly level?: 2 | 3 }
  | { readonly bullets: readonly string[] };

/**
 * A seed from simple blocks: strings become paragraphs, `{heading, level}` headings (level 2 by
 * default, the toolbar's first), `{paragraph, bold, italic}` a paragraph with marks, `{bullets}` a bullet list.
 */
export function seedUpdateFromParagraphs(blocks: readonly SeedBlock[], options: SeedOptions = {}): Uint8Array {
  return seedUpdateFromProseMirrorJson(proseMirrorJsonFromBlocks(blocks), options);
}

/** The ProseMirror JSON `seedUpdateFromParagraphs` seeds. */
export function proseMirrorJsonFromBlocks(blocks: readonly SeedBlock[]): ProseMirrorDocJson {
  return { type: 'doc', content: blocks.map(blockToJson) };
}

function textContent(text: string, marks: ProseMirrorMarkJson[] = []): ProseMirrorNodeJson[] | undefined {
  if (text.length === 0) return undefined; // ProseMirror has no empty text nodes
  return [marks.length > 0 ? { type: 'text', text, marks } : { type: 'text', text }];
}

function withContent(node: ProseMirrorNodeJson, content: ProseMirrorNodeJson[] | undefined): ProseMirrorNodeJson {
  return content ? { ...node, content } : node;
}

function blockToJson(block: SeedBlock): ProseMirrorNodeJson {
  if (typeof block === 'string') {
    return withContent({ type: 'paragraph' }, textContent(block));
  }
  if ('heading' in block) {
    return withContent({ type: 'heading', attrs: { level: block.level ?? 2 } }, textContent(block.heading));
  }
  if ('bullets' in block) {
    return {
      type: 'bulletList',
      content: block.bullets.map((item) => ({
        type: 'listItem',
        content: [withContent({ type: 'paragraph' }, textContent(item))],
      })),
    };
  }
  const marks: ProseMirrorMarkJson[] = [];
  if (block.bold) marks.push({ type: 'bold' });
  if (block.italic) marks.push({ type: 'italic' });
  return withContent({ type: 'paragraph' }, textContent(block.paragraph, marks));
}
