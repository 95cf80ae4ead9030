import {
  AlignmentType,
  Bookmark,
  BorderStyle,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
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
import type { ApprovalRecord, DocumentManifest, ExportComment, ExportDocumentModel, ExportSection } from './document-model';
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
export const STYLE = {
  paragraph: 'ConcordParagraph',
  item: 'ConcordItem',
  subItem: 'ConcordSubItem',
  quote: 'ConcordQuote',
  introduction: 'ConcordIntroductionLabel',
} as const;

const FONT = 'Noto Serif';
const HANGING = 720; // twips: the number hangs in the margin, text starts at 0.5 in

/** Tracked-change ids must be unique within a document. */
class ChangeIds {
  private next = 1;
  take(): number {
    return this.next++;
  }
}

/** Where a Word comment covers a block: character offsets in the block's shown text, and the ids of the thread's comments. */
export interface CommentSpan {
  start: number;
  end: number;
  ids: readonly number[];
}

/** The runs cut at `offsets` (characters of their joined text), so a comment can start or end between any two. */
function splitRuns(runs: readonly Run[], offsets: readonly number[]): Run[] {
  const cuts = [...new Set(offsets)].sort((a, b) => a - b);
  const out: Run[] = [];
  let position = 0;
  for (const run of runs) {
    let text = run.text;
    let at = position;
    for (const cut of cuts) {
      if (cut > at && cut < at + text.length) {
        out.push({ ...run, text: text.slice(0, cut - at) });
        text = text.slice(cut - at);
        at = cut;
      }
    }
    out.push({ ...run, text });
    position += run.text.length;
  }
  return out;
}

/** Runs of one block as DOCX children: line breaks, bold, italic, links, tracked suggestions, Word comments. */
export function runChildren(
  runs: readonly Run[],
  people: ReadonlyMap<string, string>,
  mode: 'clean' | 'tracked',
  ids: ChangeIds,
  comments: readonly CommentSpan[] = [],
): ParagraphChild[] {
  const shown = runs.filter((run) => !(run.change && mode === 'clean' && run.change.kind === 'insert'));
  if (comments.length) {
    const children: ParagraphChild[] = [];
    let position = 0;
    const markers = (at: number) => {
      for (const span of comments) if (span.start === at) span.ids.forEach((id) => children.push(new CommentRangeStart(id)));
      for (const span of comments) {
        if (span.end === at) {
          span.ids.forEach((id) => children.push(new CommentRangeEnd(id)));
          span.ids.forEach((id) => children.push(new TextRun({ children: [new CommentReference(id)] })));
        }
      }
    };
    markers(0);
    for (const piece of splitRuns(shown, comments.flatMap((span) => [span.start, span.end]))) {
      if (piece.text === '') continue;
      children.push(...runChildren([piece], people, mode, ids));
      position += piece.text.length;
      if (position > 0) markers(position);
    }
    return children;
  }
  const children: ParagraphChild[] = [];
  for (const run of shown) {
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

function blockParagraph(block: LaidOutBlock, model: Pick<ExportDocumentModel, 'people' | 'suggestions'>, ids: ChangeIds, comments: readonly CommentSpan[] = []): Paragraph {
  switch (block.kind) {
    case 'section':
      return new Paragraph({
        heading: HeadingLevel.HEADING_1,
        children: [new TextRun(block.number === null ? block.text : `${block.number}. ${block.text}`)],
      });
    case 'proposal':
      // A section's introduction: a discreet italic line, not a heading of its own.
      if (block.introduction) {
        return new Paragraph({ style: STYLE.introduction, children: runChildren([{ text: block.text, italic: true }], model.people, model.suggestions, ids, comments) });
      }
      return new Paragraph({ heading: HeadingLevel.HEADING_2, children: runChildren([{ text: block.text }], model.people, model.suggestions, ids, comments) });
    case 'heading':
      return new Paragraph({ heading: HeadingLevel.HEADING_3, children: runChildren(block.runs, model.people, model.suggestions, ids, comments) });
    default: {
      const style = block.kind === 'paragraph' ? (block.quote ? STYLE.quote : STYLE.paragraph) : block.depth === 1 ? STYLE.item : STYLE.subItem;
      return new Paragraph({
        style,
        children: [
          new Bookmark({
            id: bookmarkName(block.number),
            children: [new TextRun({ children: [block.label, new Tab()] }), ...runChildren(block.runs, model.people, model.suggestions, ids, comments)],
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
    { id: STYLE.introduction, name: 'Concord introduction label', basedOn: 'Normal', next: STYLE.paragraph, run: { italics: true }, paragraph: { spacing: { before: 120, after: 120 } } },
    { id: STYLE.subItem, name: 'Concord sub-sub-paragraph', basedOn: 'Normal', next: STYLE.subItem, paragraph: { indent: { left: HANGING * 3, hanging: HANGING / 2 }, spacing: { after: 60 } } },
  ],
};

/** The text of a block as the file shows it (what a comment's offsets count). */
function shownText(block: LaidOutBlock, mode: 'clean' | 'tracked'): string {
  if (block.kind === 'proposal') return block.text;
  if (block.kind === 'section') return '';
  return block.runs.filter((run) => !(run.change && mode === 'clean' && run.change.kind === 'insert')).map((run) => run.text).join('');
}

/**
 * Places each proposal's open comment threads: on the first occurrence of the words they were
 * opened on in that proposal's blocks, else (the words are gone) on the proposal's title with the
 * words quoted. Each thread is a Word comment, its replies comments threaded under it.
 */
export function placeComments(
  blocks: readonly LaidOutBlock[],
  sections: readonly ExportSection[],
  mode: 'clean' | 'tracked',
): { spans: Map<number, CommentSpan[]>; comments: { id: number; author: string; date: Date; parentId?: number; text: string }[] } {
  const byProposal = new Map<string, readonly ExportComment[]>();
  for (const section of sections) for (const proposal of section.proposals) if (proposal.comments?.length) byProposal.set(proposal.id, proposal.comments);
  const spans = new Map<number, CommentSpan[]>();
  const comments: { id: number; author: string; date: Date; parentId?: number; text: string }[] = [];
  let nextId = 0;
  blocks.forEach((block, index) => {
    if (block.kind !== 'proposal') return;
    const own: number[] = [];
    for (let i = index + 1; i < blocks.length && blocks[i].kind !== 'proposal' && blocks[i].kind !== 'section'; i++) own.push(i);
    for (const thread of byProposal.get(block.proposalId) ?? []) {
      if (!thread.messages.length) continue;
      const quote = thread.quote.trim();
      const target = quote ? own.find((i) => shownText(blocks[i], mode).includes(quote)) : undefined;
      const at = target === undefined ? index : target;
      const start = target === undefined ? 0 : shownText(blocks[at], mode).indexOf(quote);
      const end = target === undefined ? block.text.length : start + quote.length;
      const ids = thread.messages.map(() => nextId++);
      thread.messages.forEach((message, m) => {
        const gone = m === 0 && target === undefined && quote ? `On words no longer in the text: “${quote}”. ` : '';
        const date = new Date(message.at);
        comments.push({ id: ids[m], author: message.author, date: Number.isNaN(date.getTime()) ? new Date(0) : date, ...(m > 0 ? { parentId: ids[0] } : {}), text: `${gone}${message.body}` });
      });
      const list = spans.get(at) ?? [];
      list.push({ start, end, ids });
      spans.set(at, list);
    }
  });
  return { spans, comments };
}

/** A submission or a proposal as a UN-style DOCX: cover lines, sections, numbered paragraphs, the approval annex. */
export async function writeDocx(model: ExportDocumentModel): Promise<Buffer> {
  const ids = new ChangeIds();
  // A single proposal's document has one unnumbered section: its title already heads the page.
  const blocks = layOutDocument(model.sections).filter((block) => !(block.kind === 'section' && block.number === null));
  const placed = placeComments(blocks, model.sections, model.suggestions);
  const body = blocks.flatMap((block, index) => {
    const paragraph = blockParagraph(block, model, ids, placed.spans.get(index));
    // The co-sponsoring member states, an unnumbered line under the proposal's title.
    if (block.kind !== 'proposal' || !block.coSponsors) return [paragraph];
    return [paragraph, new Paragraph({ spacing: { after: 120 }, children: [new TextRun({ text: block.coSponsors, italics: true, size: 20 })] })];
  });
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
    ...(placed.comments.length
      ? {
          comments: {
            children: placed.comments.map(({ id, author, date, parentId, text }) => ({
              id,
              author,
              date,
              ...(parentId === undefined ? {} : { parentId }),
              children: text.split('\n').map((line) => new Paragraph({ children: [new TextRun(line)] })),
            })),
          },
        }
      : {}),
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
