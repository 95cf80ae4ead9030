import { AlignmentType, DeletedTextRun, Document, HeadingLevel, InsertedTextRun, Packer, Paragraph, type ParagraphChild, TextRun } from 'docx';
import type { DocumentManifest } from './document-model';
import { EXPORT_ID_PROPERTY, MANIFEST_PROPERTY, SUBMISSION_ID_PROPERTY } from './docx-writer';

/** A run of a redline: text kept, inserted or deleted, with who made the change and when (from the log). */
export interface RedlineSpan {
  type: 'equal' | 'insert' | 'delete';
  text: string;
  /** For changes: the user's name as the workspace shows it. */
  author?: string;
  /** For changes: when the change was recorded (ISO 8601, the event's time). */
  at?: string;
}

export interface RedlineModel {
  title: string;
  iscmName: string;
  fromRevision: number;
  toRevision: number;
  fromHash: string;
  toHash: string;
  spans: readonly RedlineSpan[];
  manifest: DocumentManifest;
}

/**
 * Adjacent changes of one kind by one author read as one change (typing is recorded keystroke by
 * keystroke); the change keeps the time of its latest piece.
 */
export function mergeRedlineSpans(spans: readonly RedlineSpan[]): RedlineSpan[] {
  const merged: RedlineSpan[] = [];
  for (const span of spans) {
    if (span.text === '') continue;
    const last = merged[merged.length - 1];
    if (last && last.type === span.type && last.author === span.author) {
      last.text += span.text;
      if (span.at && (!last.at || span.at > last.at)) last.at = span.at;
    } else {
      merged.push({ ...span });
    }
  }
  return merged;
}

/** The spans cut into lines (paragraphs): a span holding "\n" continues on the next line. */
export function redlineLines(spans: readonly RedlineSpan[]): RedlineSpan[][] {
  const lines: RedlineSpan[][] = [[]];
  for (const span of spans) {
    span.text.split('\n').forEach((text, index) => {
      if (index > 0) lines.push([]);
      if (text !== '') lines[lines.length - 1].push({ ...span, text });
    });
  }
  return lines;
}

/** A DOCX with real Word tracked changes (`w:ins`/`w:del`) from one revision to another. */
export async function writeRedlineDocx(model: RedlineModel): Promise<Buffer> {
  let id = 1;
  const lines = redlineLines(mergeRedlineSpans(model.spans)).map(
    (line) =>
      new Paragraph({
        spacing: { after: 120 },
        children: line.map((span): ParagraphChild => {
          if (span.type === 'equal') return new TextRun(span.text);
          const change = { text: span.text, id: id++, author: span.author ?? 'unknown', date: span.at ?? model.manifest.exportedAt };
          return span.type === 'insert' ? new InsertedTextRun(change) : new DeletedTextRun(change);
        }),
      }),
  );
  const doc = new Document({
    creator: 'Concord',
    title: `${model.title} — changes from revision ${model.fromRevision} to ${model.toRevision}`,
    customProperties: [
      { name: EXPORT_ID_PROPERTY, value: model.manifest.exportId },
      { name: SUBMISSION_ID_PROPERTY, value: model.manifest.submissionId },
      { name: MANIFEST_PROPERTY, value: JSON.stringify(model.manifest) },
    ],
    styles: { default: { document: { run: { font: 'Noto Serif', size: 22 } } } },
    sections: [
      {
        children: [
          new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: model.iscmName, size: 20 })] }),
          new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(model.title)] }),
          new Paragraph({
            spacing: { after: 240 },
            children: [
              new TextRun({
                size: 20,
                text: `Changes from revision ${model.fromRevision} (${model.fromHash.slice(0, 12)}…) to revision ${model.toRevision} (${model.toHash.slice(0, 12)}…), each with its author and time from the Concord event log.`,
              }),
            ],
          }),
          ...lines,
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
