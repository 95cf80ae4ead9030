import type { ReadParagraph } from './docx-reader';
import { bookmarkName } from './layout';

export interface ParagraphDifference {
  /** The paragraph number as the document prints it (`3.4`, `3.4(a)`). */
  number: string;
  problem: 'altered' | 'missing' | 'added';
  expected: string | null;
  found: string | null;
}

/**
 * Compares the numbered paragraphs read from a file with those the log's revisions lay out
 * (`expectedParagraphs`), by their bookmarks: each paragraph that differs, is missing or was added.
 */
export function compareParagraphs(expected: ReadonlyMap<string, string>, read: readonly ReadParagraph[]): ParagraphDifference[] {
  const byBookmark = new Map<string, string>();
  for (const paragraph of read) {
    for (const name of paragraph.bookmarks) {
      if (name.startsWith('cc_') && !byBookmark.has(name)) byBookmark.set(name, paragraph.text);
    }
  }
  const differences: ParagraphDifference[] = [];
  const seen = new Set<string>();
  for (const [number, text] of expected) {
    const name = bookmarkName(number);
    seen.add(name);
    const found = byBookmark.get(name);
    if (found === undefined) differences.push({ number, problem: 'missing', expected: text, found: null });
    else if (normalise(found) !== normalise(text)) differences.push({ number, problem: 'altered', expected: text, found });
  }
  for (const [name, text] of byBookmark) {
    if (!seen.has(name)) differences.push({ number: name.slice(3).replace(/_/g, '.'), problem: 'added', expected: null, found: text });
  }
  return differences;
}

/** Word and LibreOffice may turn spaces into no-break spaces or add trailing spaces; nothing else is forgiven. */
function normalise(text: string): string {
  return text.replace(/\u00a0/g, ' ').replace(/[ \t]+$/g, '').normalize('NFC');
}
