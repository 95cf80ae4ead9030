import { unzipSync } from 'fflate';
import { parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';
import mammoth from 'mammoth';
import type { PmMark, PmNode } from './document-model';

/*
 * Word import (issue 13 point 7): a DOCX becomes ProseMirror JSON kept to the editor's schema — the
 * toolbar's headings (levels 2 and 3), paragraphs, bullet and numbered lists, quotes, hard breaks,
 * bold, italic and http/https/mailto links. mammoth reads the DOCX into semantic HTML (Word styles
 * to h1…h6, lists, tables, footnotes); htmlparser2 parses that HTML without a browser; the walk
 * below keeps what the editor holds and drops the rest: images, rules, foreign styles; a table
 * becomes one paragraph per cell holding text. The result is checked again by the seeding
 * (`seedUpdateFromProseMirrorJson` of @concord/content runs the editor's schema and validator).
 */

/** The largest DOCX accepted (the API's upload limit). */
export const MAX_WORD_IMPORT_BYTES = 25 * 1024 * 1024;
/** The most the DOCX's parts may unpack to (a zip bomb is refused before anything is inflated). */
export const MAX_WORD_IMPORT_UNPACKED_BYTES = 200 * 1024 * 1024;
/** The most text an import may hold, in characters. */
export const MAX_WORD_IMPORT_TEXT = 2_000_000;
const MAX_LINK_HREF_LENGTH = 2_048;
const MAX_NESTING = 32;

/** The file cannot be imported; the message says why, for a person (the API answers 400 with it). */
export class WordImportError extends Error {
  override readonly name = 'WordImportError';
}

export interface WordImport {
  /** ProseMirror JSON of the editor's schema: `{ type: 'doc', content: [...] }`. */
  doc: PmNode;
  /** What was left out or changed, counted (e.g. `{ images: 2, tables: 1 }`). */
  dropped: Record<string, number>;
}

/** http, https and mailto addresses only, as the editor's link rule (EDITOR_ATTRIBUTE_RULES). */
export function importableHref(value: string | undefined): string | null {
  if (value === undefined) return null;
  const href = value.trim();
  // eslint-disable-next-line no-control-regex
  if (!href || href.length > MAX_LINK_HREF_LENGTH || /[\u0000-\u001f\u007f-\u009f]/.test(href)) return null;
  return /^(https?:|mailto:)/i.test(href) ? href : null;
}

/** Checks that a file is a DOCX and not a zip bomb, without inflating it. */
function checkDocxContainer(file: Uint8Array): void {
  if (file.length === 0) throw new WordImportError('The file is empty.');
  if (file.length > MAX_WORD_IMPORT_BYTES) throw new WordImportError(`The file is larger than ${MAX_WORD_IMPORT_BYTES / 1024 / 1024} MiB.`);
  if (file[0] !== 0x50 || file[1] !== 0x4b) {
    throw new WordImportError('The file is not a Word document (DOCX): it is not a ZIP package. Save it as .docx (Word 2007 or later) and try again.');
  }
  let unpacked = 0;
  let hasDocument = false;
  try {
    unzipSync(file, {
      filter: (entry) => {
        unpacked += entry.originalSize;
        if (entry.name === 'word/document.xml') hasDocument = true;
        return false; // nothing is inflated here
      },
    });
  } catch (error) {
    throw new WordImportError(`The file is not a Word document (DOCX): ${(error as Error).message}.`);
  }
  if (!hasDocument) throw new WordImportError('The file is a ZIP package but not a Word document (DOCX): it has no word/document.xml.');
  if (unpacked > MAX_WORD_IMPORT_UNPACKED_BYTES) {
    throw new WordImportError(`The document unpacks to more than ${MAX_WORD_IMPORT_UNPACKED_BYTES / 1024 / 1024} MiB: it cannot be imported.`);
  }
}

/** Word styles mammoth does not know by name are left to its defaults (paragraphs); headings by their outline style names. */
const STYLE_MAP = [
  'p[style-name="Title"] => h1:fresh',
  'p[style-name="Subtitle"] => h2:fresh',
  'p[style-name="Quote"] => blockquote > p:fresh',
  'p[style-name="Intense Quote"] => blockquote > p:fresh',
  'p[style-name="Block Text"] => blockquote > p:fresh',
  // LibreOffice's name for a quotation.
  'p[style-name="Quotations"] => blockquote > p:fresh',
];

/** Reads a DOCX into ProseMirror JSON of the editor's schema. Throws `WordImportError` for what cannot be imported. */
export async function importDocx(file: Uint8Array): Promise<WordImport> {
  checkDocxContainer(file);
  const dropped: Record<string, number> = {};
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(file.buffer, file.byteOffset, file.byteLength) },
      {
        styleMap: STYLE_MAP,
        externalFileAccess: false,
        // Images are dropped (the walk counts their <img>): never read, never inlined as data URIs.
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
      },
    );
    html = result.value;
  } catch (error) {
    throw new WordImportError(`The Word document could not be read: ${(error as Error).message}`);
  }
  return { doc: htmlToEditorDoc(html, dropped), dropped };
}

/** The walk from mammoth's HTML to the editor's ProseMirror JSON (exported for its spec). */
export function htmlToEditorDoc(html: string, dropped: Record<string, number> = {}): PmNode {
  const drop = (what: string) => (dropped[what] = (dropped[what] ?? 0) + 1);
  let textLength = 0;
  const dom = parseDocument(html, { decodeEntities: true, lowerCaseTags: true });

  // eslint-disable-next-line no-control-regex
  const cleanText = (text: string) => text.replace(/\r\n?|\n|\t/g, ' ').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g, '');

  function inline(nodes: readonly ChildNode[], marks: readonly PmMark[], out: PmNode[], depth: number): void {
    for (const node of nodes) {
      if (node.type === 'text') {
        const text = cleanText(node.data);
        if (!text) continue;
        textLength += text.length;
        if (textLength > MAX_WORD_IMPORT_TEXT) throw new WordImportError(`The document holds more than ${MAX_WORD_IMPORT_TEXT.toLocaleString('en')} characters of text: split it into several proposals.`);
        const last = out[out.length - 1];
        if (last?.type === 'text' && sameMarks(last.marks ?? [], marks)) last.text += text;
        else out.push(marks.length ? { type: 'text', text, marks: [...marks] } : { type: 'text', text });
        continue;
      }
      if (node.type !== 'tag') continue; // comments, CDATA, processing instructions
      if (depth > MAX_NESTING) throw new WordImportError('The document nests its content too deeply to be imported.');
      const name = node.name;
      if (name === 'br') out.push({ type: 'hardBreak' });
      else if (name === 'img') drop('images');
      else if (name === 'strong' || name === 'b') inline(node.children, withMark(marks, { type: 'bold' }), out, depth + 1);
      else if (name === 'em' || name === 'i') inline(node.children, withMark(marks, { type: 'italic' }), out, depth + 1);
      else if (name === 'a') {
        const href = importableHref(node.attribs['href']);
        if (!href && node.attribs['href'] !== undefined && !node.attribs['href'].startsWith('#')) drop('links');
        inline(node.children, href ? withMark(marks.filter((m) => m.type !== 'link'), { type: 'link', attrs: { href } }) : marks, out, depth + 1);
      } else if (name === 'script' || name === 'style') drop('scripts');
      else inline(node.children, marks, out, depth + 1); // u, s, sup, sub, span, code…: their text, not their style
    }
  }

  function paragraphOf(nodes: readonly ChildNode[], depth: number): PmNode | null {
    const content: PmNode[] = [];
    inline(nodes, [], content, depth);
    trimBreaks(content);
    return content.length ? { type: 'paragraph', content } : null;
  }

  /** Block content of a container: runs of inline content between blocks become paragraphs. */
  function blocks(nodes: readonly ChildNode[], depth: number): PmNode[] {
    if (depth > MAX_NESTING) throw new WordImportError('The document nests its content too deeply to be imported.');
    const out: PmNode[] = [];
    let pending: ChildNode[] = [];
    const flush = () => {
      const paragraph = paragraphOf(pending, depth);
      if (paragraph) out.push(paragraph);
      pending = [];
    };
    for (const node of nodes) {
      if (node.type !== 'tag' || !BLOCK_TAGS.has(node.name)) {
        pending.push(node);
        continue;
      }
      flush();
      out.push(...block(node, depth + 1));
    }
    flush();
    return out;
  }

  function block(node: Element, depth: number): PmNode[] {
    switch (node.name) {
      case 'p':
      case 'pre':
      case 'address': {
        const paragraph = paragraphOf(node.children, depth);
        return paragraph ? [paragraph] : [];
      }
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6': {
        const paragraph = paragraphOf(node.children, depth);
        if (!paragraph) return [];
        // The editor offers two heading levels under the proposal's title: Heading 1 → 2, the rest → 3.
        return [{ type: 'heading', attrs: { level: node.name === 'h1' ? 2 : 3 }, content: paragraph.content }];
      }
      case 'ul':
      case 'ol': {
        const items = node.children.filter((child): child is Element => child.type === 'tag');
        const listItems = items.flatMap((item) => {
          const content = item.name === 'li' ? blocks(item.children, depth + 1) : block(item, depth + 1);
          if (!content.length) return [];
          // A list item starts with a paragraph (the editor's listItem: paragraph block*).
          if (content[0].type !== 'paragraph') content.unshift({ type: 'paragraph' });
          return [{ type: 'listItem', content }];
        });
        if (!listItems.length) return [];
        if (node.name === 'ul') return [{ type: 'bulletList', content: listItems }];
        const start = Number.parseInt(node.attribs['start'] ?? '1', 10);
        return [{ type: 'orderedList', attrs: { start: Number.isSafeInteger(start) && start >= 0 ? start : 1 }, content: listItems }];
      }
      case 'blockquote': {
        const content = blocks(node.children, depth);
        return content.length ? [{ type: 'blockquote', content }] : [];
      }
      case 'table': {
        drop('tables');
        // Each cell becomes paragraphs of its text: the words stay, the grid goes.
        const cells: Element[] = [];
        collectCells(node, cells, 0);
        return cells.flatMap((cell) => flatParagraphs(blocks(cell.children, depth + 1)));
      }
      case 'hr':
        drop('rules');
        return [];
      case 'img':
        drop('images');
        return [];
      case 'script':
      case 'style':
        drop('scripts');
        return [];
      default:
        return blocks(node.children, depth); // div, section, article, dl…: their content
    }
  }

  const content = blocks(dom.children, 0);
  if (!content.length) throw new WordImportError('The Word document holds no text to import.');
  return { type: 'doc', content };
}

const BLOCK_TAGS = new Set([
  'p', 'pre', 'address', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'table', 'hr', 'div', 'section', 'article',
  'header', 'footer', 'aside', 'nav', 'main', 'dl', 'dt', 'dd', 'figure', 'figcaption', 'script', 'style', 'html', 'body', 'head', 'title',
]);

/** The cells of a table (nested tables' cells included in their place). */
function collectCells(node: Element, cells: Element[], depth: number): void {
  if (depth > MAX_NESTING) throw new WordImportError('The document nests its content too deeply to be imported.');
  for (const child of node.children) {
    if (child.type !== 'tag') continue;
    if (child.name === 'td' || child.name === 'th') cells.push(child);
    else collectCells(child, cells, depth + 1);
  }
}

/** Blocks as plain paragraphs (for table cells): headings, lists and quotes give their paragraphs. */
function flatParagraphs(nodes: readonly PmNode[]): PmNode[] {
  return nodes.flatMap((node) =>
    node.type === 'paragraph' ? [node] : node.type === 'heading' ? [{ type: 'paragraph', content: node.content }] : flatParagraphs(node.content ?? []),
  ).filter((node) => node.content?.length);
}

/** Marks in the editor schema's order (link, bold, italic), each type once. */
const MARK_ORDER = ['link', 'bold', 'italic'];
function withMark(marks: readonly PmMark[], mark: PmMark): PmMark[] {
  if (marks.some((m) => m.type === mark.type)) return [...marks];
  return [...marks, mark].sort((a, b) => MARK_ORDER.indexOf(a.type) - MARK_ORDER.indexOf(b.type));
}

function sameMarks(a: readonly PmMark[], b: readonly PmMark[]): boolean {
  return a.length === b.length && a.every((mark, index) => mark.type === b[index].type && JSON.stringify(mark.attrs ?? null) === JSON.stringify(b[index].attrs ?? null));
}

/** Hard breaks at the start or end of a paragraph carry no text. */
function trimBreaks(content: PmNode[]): void {
  while (content[0]?.type === 'hardBreak') content.shift();
  while (content[content.length - 1]?.type === 'hardBreak') content.pop();
}
