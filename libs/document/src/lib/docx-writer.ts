import {
  AlignmentType,
  Bookmark,
  BorderStyle,
  DeletedTextRun,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  HeadingLevel,
  InsertedTextRun,
  Packer,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  Tab,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { ApprovalRecord, DocumentManifest, ExportDocumentModel } from './document-model';
import { bookmarkName, isNumbered, layOutDocument, type LaidOutBlock, type Run } from './layout';

/** The custom document property holding the manifest (JSON). */
export const MANIFEST_PROPERTY = 'ConcordManifest';
/** The custom document property holding only the export id (short, kept by every editor). */
export const EXPORT_ID_PROPERTY = 'ConcordExportId';
/**
 * The submission whose exports stream records the export (short too): with the export id it finds
 * the event even when an editor cut the manifest property short (Word keeps 255 characters).
 */
export const SUBMISSION_ID_PROPERTY = 'ConcordSubmissionId';

/** Paragraph styles the verifier and a reader's Word both recognise. */
export const STYLE = { paragraph: 'ConcordParagraph', item: 'ConcordItem', subItem: 'ConcordSubItem', quote: 'ConcordQuote' } as const;

const FONT = 'Noto Serif';
const HANGING = 720; // twips: the number hangs in the margin, text starts at 0.5 in

/** Tracked-change ids must be unique within a document. */
class ChangeIds {
  private next = 1;
  take(): number {
    return this.next++;
  }
}

/** Runs of one block as DOCX children: line breaks, bold, italic, links, tracked suggestions. */
export function runChildren(runs: readonly Run[], people: ReadonlyMap<string, string>, mode: 'clean' | 'tracked', ids: ChangeIds): ParagraphChild[] {
  const children: ParagraphChild[] = [];
  for (const run of runs) {
    if (run.change && mode === 'clean' && run.change.kind === 'insert') continue;
    const parts = run.text.split('\n');
    parts.forEach((text, index) => {
      const base = { text, bold: run.bold, italics: run.italic, ...(index > 0 ? { break: 1 } : {}) };
      if (run.change && mode === 'tracked') {
        const change = { id: ids.take(), author: people.get(run.change.authorId) ?? run.change.authorId, date: run.change.at };
        children.push(run.change.kind === 'insert' ? new InsertedTextRun({ ...base, ...change }) : new DeletedTextRun({ ...base, ...change }));
      } else if (run.href) {
        children.push(new ExternalHyperlink({ link: run.href, children: [new TextRun({ ...base, style: 'Hyperlink' })] }));
      } else {
        children.push(new TextRun(base));
      }
    });
  }
  return children;
}

function blockParagraph(block: LaidOutBlock, model: Pick<ExportDocumentModel, 'people' | 'suggestions'>, ids: ChangeIds): Paragraph {
  switch (block.kind) {
    case 'section':
      return new Paragraph({
        heading: HeadingLevel.HEADING_1,
        children: [new TextRun(block.number === null ? block.text : `${block.number}. ${block.text}`)],
      });
    case 'proposal':
      return new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(block.text)] });
    case 'heading':
      return new Paragraph({ heading: HeadingLevel.HEADING_3, children: runChildren(block.runs, model.people, model.suggestions, ids) });
    default: {
      const style = block.kind === 'paragraph' ? (block.quote ? STYLE.quote : STYLE.paragraph) : block.depth === 1 ? STYLE.item : STYLE.subItem;
      return new Paragraph({
        style,
        children: [
          new Bookmark({
            id: bookmarkName(block.number),
            children: [new TextRun({ children: [block.label, new Tab()] }), ...runChildren(block.runs, model.people, model.suggestions, ids)],
          }),
        ],
      });
    }
  }
}

function cell(text: string, bold = false): TableCell {
  return new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold, size: 18 })] })] });
}

function approvalAnnex(approvals: readonly ApprovalRecord[]): (Paragraph | Table)[] {
  const header = ['Proposal', 'Approved revision', 'Content hash (SHA-256)', 'Chair', 'Approved at', 'Log position', 'Signed checkpoint', 'Approval'];
  const rows = approvals.map(
    (record) =>
      new TableRow({
        children: [
          cell(record.proposalTitle),
          cell(record.revision === null ? 'not approved' : String(record.revision)),
          cell(record.contentHash ?? '—'),
          cell(record.chair ?? '—'),
          cell(record.at ?? '—'),
          cell(record.logPosition === null ? '—' : String(record.logPosition)),
          cell(record.checkpoint ? `position ${record.checkpoint.globalPosition}, root ${record.checkpoint.merkleRoot}` : 'not yet covered'),
          cell(record.revision === null ? 'none' : record.current ? 'current: binds this text' : 'stale: the text has changed since'),
        ],
      }),
  );
  return [
    new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [new TextRun('Annex: approval record')] }),
    new Paragraph({
      children: [
        new TextRun(
          'Each approval binds one revision of a proposal by the SHA-256 hash of its text. The log positions and the signed checkpoints let anyone check this record against the Concord event log.',
        ),
      ],
    }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [new TableRow({ tableHeader: true, children: header.map((text) => cell(text, true)) }), ...rows],
    }),
  ];
}

function manifestParagraphs(manifest: DocumentManifest): Paragraph[] {
  return [
    new Paragraph({
      spacing: { before: 480 },
      border: { top: { style: BorderStyle.SINGLE, size: 4, color: '999999', space: 4 } },
      children: [
        new TextRun({
          size: 16,
          text:
            `Exported from Concord on ${manifest.exportedAt} (export ${manifest.exportId}, log position ${manifest.logPosition}). ` +
            `Texts: ${manifest.proposals.map((p) => `${p.id} revision ${p.revision} (${p.contentHash.slice(0, 12)}…)`).join('; ')}. ` +
            'Check this file against the log with "npm run verify -- --document <file>" or the Verify page.',
        }),
      ],
    }),
  ];
}

const STYLES = {
  default: { document: { run: { font: FONT, size: 22 } } },
  paragraphStyles: [
    { id: STYLE.paragraph, name: 'Concord numbered paragraph', basedOn: 'Normal', next: STYLE.paragraph, paragraph: { indent: { left: HANGING, hanging: HANGING }, spacing: { after: 120 } } },
    { id: STYLE.quote, name: 'Concord numbered quotation', basedOn: STYLE.paragraph, next: STYLE.paragraph, run: { italics: true }, paragraph: { indent: { left: HANGING * 2, hanging: HANGING } } },
    { id: STYLE.item, name: 'Concord sub-paragraph', basedOn: 'Normal', next: STYLE.item, paragraph: { indent: { left: HANGING * 2, hanging: HANGING / 2 }, spacing: { after: 80 } } },
    { id: STYLE.subItem, name: 'Concord sub-sub-paragraph', basedOn: 'Normal', next: STYLE.subItem, paragraph: { indent: { left: HANGING * 3, hanging: HANGING / 2 }, spacing: { after: 60 } } },
  ],
};

/** A submission or a proposal as a UN-style DOCX: cover lines, sections, numbered paragraphs, the approval annex. */
export async function writeDocx(model: ExportDocumentModel): Promise<Buffer> {
  const ids = new ChangeIds();
  // A single proposal's document has one unnumbered section: its title already heads the page.
  const body = layOutDocument(model.sections)
    .filter((block) => !(block.kind === 'section' && block.number === null))
    .map((block) => blockParagraph(block, model, ids));
  const cover = [
    new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: model.date, size: 20 })] }),
    new Paragraph({ children: [new TextRun({ text: model.iscmName, bold: true, size: 24 })] }),
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(model.title)] }),
    new Paragraph({ children: [new TextRun({ text: `Input to: ${model.consultation}`, italics: true })] }),
    new Paragraph({ spacing: { after: 240 }, children: [new TextRun({ text: model.edition, size: 20 })] }),
  ];
  const doc = new Document({
    creator: 'Concord',
    title: model.title,
    description: `${model.iscmName} — ${model.consultation}`,
    customProperties: [
      { name: EXPORT_ID_PROPERTY, value: model.manifest.exportId },
      { name: SUBMISSION_ID_PROPERTY, value: model.manifest.submissionId },
      { name: MANIFEST_PROPERTY, value: JSON.stringify(model.manifest) },
    ],
    styles: STYLES,
    sections: [
      {
        headers: { default: new Header({ children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: model.iscmName, size: 16 })] })] }) },
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ size: 16, children: [PageNumber.CURRENT] })] })],
          }),
        },
        children: [...cover, ...body, ...(model.approvals ? approvalAnnex(model.approvals) : []), ...manifestParagraphs(model.manifest)],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** The numbered paragraphs of a model as the verifier expects to read them: number → `label\ttext`. */
export function expectedParagraphs(model: Pick<ExportDocumentModel, 'sections'>): Map<string, string> {
  const expected = new Map<string, string>();
  for (const block of layOutDocument(model.sections)) {
    if (isNumbered(block)) {
      expected.set(block.number, `${block.label}\t${block.runs.filter((run) => run.change?.kind !== 'insert').map((run) => run.text).join('')}`);
    }
  }
  return expected;
}

export { ChangeIds };
