import { strFromU8, unzipSync } from 'fflate';
import { SaxesParser } from 'saxes';
import type { DocumentManifest } from './document-model';
import { EXPORT_ID_PROPERTY, MANIFEST_PROPERTY, SUBMISSION_ID_PROPERTY } from './docx-writer';

/** A paragraph of a DOCX body as the agreed text reads it: tracked insertions left out, tracked deletions kept. */
export interface ReadParagraph {
  /** Names of the bookmarks that start in it (`cc_3_4_a` for numbered paragraphs). */
  bookmarks: string[];
  text: string;
}

export interface ReadDocx {
  exportId: string | null;
  /** From its own short property, else from the manifest. */
  submissionId: string | null;
  /** Null when the property is missing or not JSON. */
  manifest: DocumentManifest | null;
  paragraphs: ReadParagraph[];
  /** Tracked changes in the body, with their authors (for redlines). */
  changes: { kind: 'insert' | 'delete'; author: string; date: string; text: string }[];
}

export class NotADocxError extends Error {}

function unzip(file: Uint8Array): Record<string, Uint8Array> {
  try {
    return unzipSync(file, { filter: (entry) => entry.name === 'word/document.xml' || entry.name === 'docProps/custom.xml' });
  } catch (error) {
    throw new NotADocxError(`The file is not a DOCX (Office Open XML) document: ${(error as Error).message}`);
  }
}

function customProperties(xml: string | undefined): Map<string, string> {
  const properties = new Map<string, string>();
  if (!xml) return properties;
  const parser = new SaxesParser();
  let name: string | null = null;
  let value = '';
  parser.on('opentag', (tag) => {
    if (tag.name === 'property' || tag.name.endsWith(':property')) {
      name = String(tag.attributes['name'] ?? '');
      value = '';
    }
  });
  parser.on('text', (text) => {
    if (name !== null) value += text;
  });
  parser.on('closetag', (tag) => {
    if ((tag.name === 'property' || tag.name.endsWith(':property')) && name !== null) {
      properties.set(name, value);
      name = null;
    }
  });
  parser.write(xml).close();
  return properties;
}

function body(xml: string): Pick<ReadDocx, 'paragraphs' | 'changes'> {
  const paragraphs: ReadParagraph[] = [];
  const changes: ReadDocx['changes'] = [];
  const parser = new SaxesParser();
  let current: ReadParagraph | null = null;
  let change: ReadDocx['changes'][number] | null = null;
  let inText = false;
  parser.on('opentag', (tag) => {
    switch (tag.name) {
      case 'w:p':
        current = { bookmarks: [], text: '' };
        break;
      case 'w:bookmarkStart':
        current?.bookmarks.push(String(tag.attributes['w:name'] ?? ''));
        break;
      case 'w:ins':
      case 'w:del':
        change = { kind: tag.name === 'w:ins' ? 'insert' : 'delete', author: String(tag.attributes['w:author'] ?? ''), date: String(tag.attributes['w:date'] ?? ''), text: '' };
        break;
      case 'w:t':
      case 'w:delText':
        inText = true;
        break;
      case 'w:tab':
        if (current && change?.kind !== 'insert') current.text += '\t';
        break;
      case 'w:br':
        if (current && change?.kind !== 'insert') current.text += '\n';
        break;
    }
  });
  parser.on('text', (text) => {
    if (!inText) return;
    if (change) change.text += text;
    if (current && change?.kind !== 'insert') current.text += text;
  });
  parser.on('closetag', (tag) => {
    switch (tag.name) {
      case 'w:t':
      case 'w:delText':
        inText = false;
        break;
      case 'w:ins':
      case 'w:del':
        if (change) changes.push(change);
        change = null;
        break;
      case 'w:p':
        if (current) paragraphs.push(current);
        current = null;
        break;
    }
  });
  parser.write(xml).close();
  return { paragraphs, changes };
}

/** Reads what Concord needs from a DOCX: its manifest, its paragraphs and its tracked changes. */
export function readDocx(file: Uint8Array): ReadDocx {
  const entries = unzip(file);
  const documentXml = entries['word/document.xml'];
  if (!documentXml) throw new NotADocxError('The file is not a DOCX document: it has no word/document.xml.');
  let parsed: Pick<ReadDocx, 'paragraphs' | 'changes'>;
  let properties: Map<string, string>;
  try {
    parsed = body(strFromU8(documentXml));
    properties = customProperties(entries['docProps/custom.xml'] ? strFromU8(entries['docProps/custom.xml']) : undefined);
  } catch (error) {
    throw new NotADocxError(`The DOCX could not be read: ${(error as Error).message}`);
  }
  let manifest: DocumentManifest | null = null;
  try {
    const raw = properties.get(MANIFEST_PROPERTY);
    manifest = raw ? (JSON.parse(raw) as DocumentManifest) : null;
  } catch {
    manifest = null;
  }
  return {
    exportId: properties.get(EXPORT_ID_PROPERTY) ?? manifest?.exportId ?? null,
    submissionId: properties.get(SUBMISSION_ID_PROPERTY) ?? manifest?.submissionId ?? null,
    manifest,
    ...parsed,
  };
}
