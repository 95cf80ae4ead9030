import type { DocumentManifest, ExportSection, PmNode } from './document-model';
import { expectedParagraphs } from './docx-writer';
import { NotADocxError, readDocx, type ReadDocx } from './docx-reader';
import { readPdfManifest } from './pdf-manifest';
import { compareParagraphs, type ParagraphDifference } from './verification';

/*
 * The one check of a received document against the log, shared by `POST /api/documents/verify`
 * (libs/api/deliverable `DocumentVerification`) and `npm run verify -- --document <file>`
 * (tools/verify). Each caller reads the log its own way (the API through its read models and
 * `ProposalContent`, the CLI over the configured store); what a file is and what the verdict says
 * are decided here only.
 */

export type ReceivedFormat = 'docx' | 'pdf';

/** The file cannot be checked at all (not a DOCX or PDF, unreadable, no manifest): a 400 / exit code 2. */
export class UnusableDocumentError extends Error {
  override readonly name = 'UnusableDocumentError';
}

export interface ReceivedDocument {
  format: ReceivedFormat;
  exportId: string;
  submissionId: string;
  /** Null when only the short id properties survived (an editor cut the manifest short): the ids are enough. */
  manifest: DocumentManifest | null;
  /** The DOCX's paragraphs (null for a PDF, whose text is not read). */
  read: ReadDocx | null;
}

/** Recognises a file and finds its manifest; throws `UnusableDocumentError` with a sentence a person can act on. */
export async function readReceivedDocument(file: Uint8Array): Promise<ReceivedDocument> {
  const head = Buffer.from(file.subarray(0, 5)).toString('latin1');
  const format: ReceivedFormat | null = head === '%PDF-' ? 'pdf' : head.startsWith('PK') ? 'docx' : null;
  if (!format) throw new UnusableDocumentError('The file is neither a DOCX nor a PDF document.');
  let manifest: DocumentManifest | null;
  let read: ReadDocx | null = null;
  if (format === 'docx') {
    try {
      read = readDocx(file);
    } catch (error) {
      if (error instanceof NotADocxError) throw new UnusableDocumentError(error.message);
      throw error;
    }
    manifest = read.manifest;
  } else {
    manifest = await readPdfManifest(file);
  }
  // The short properties first: an editor may keep them when it cuts the manifest short.
  const exportId = read?.exportId ?? manifest?.exportId ?? null;
  const submissionId = read?.submissionId ?? manifest?.submissionId ?? null;
  if (typeof exportId !== 'string' || typeof submissionId !== 'string') {
    throw new UnusableDocumentError('The file carries no Concord manifest: it was not exported by Concord, or its document properties were removed.');
  }
  return { format, exportId, submissionId, manifest, read };
}

/** What the log recorded of an export: the data of its `DocumentExported` event (the event, not the file's manifest, says which revisions it holds). */
export interface RecordedExport {
  exportId: string;
  kind: 'submission' | 'proposal' | 'redline';
  proposals: readonly { id: string; revision: number; contentHash: string }[];
  sections: readonly { number: number | null; heading: string; proposalIds: readonly string[] }[];
}

/** A revision's text as the log replays it now, with its content hash; null when the log no longer has that revision. */
export interface RevisionText {
  doc: PmNode;
  hash: string;
}

export interface DocumentVerdict {
  valid: boolean;
  /** One sentence a person can act on. */
  summary: string;
  proposals: { id: string; title: string; revision: number; contentHash: string; hashMatches: boolean }[];
  /** Whether the file's numbered paragraphs were compared (DOCX exports and proposal documents; not redlines, not PDFs). */
  textCompared: boolean;
  differences: ParagraphDifference[];
}

/** The verdict when the export the file names is not in the log. */
export function unrecordedExportVerdict(exportId: string): DocumentVerdict {
  return {
    valid: false,
    summary: `No export ${exportId} of this submission is recorded in the log: the file did not come from this Concord, or its manifest was changed.`,
    proposals: [],
    textCompared: false,
    differences: [],
  };
}

/**
 * Judges a received document: every revision the export event names must still hash as recorded
 * (`texts[i]` is the log's text of `recorded.proposals[i]`), and every numbered paragraph of a DOCX
 * must read as those texts lay out, or it is named.
 */
export function judgeDocument(input: {
  received: Pick<ReceivedDocument, 'format' | 'read'>;
  recorded: RecordedExport;
  exportedAt: string;
  texts: readonly (RevisionText | null)[];
  /** Titles to name the proposals by (default: their ids). */
  titles?: readonly string[];
}): DocumentVerdict {
  const { received, recorded, texts } = input;
  const proposals = recorded.proposals.map((p, index) => ({
    id: p.id,
    title: input.titles?.[index] ?? p.id,
    revision: p.revision,
    contentHash: p.contentHash,
    hashMatches: texts[index]?.hash === p.contentHash,
  }));
  const sections: ExportSection[] = recorded.sections.map((section) => ({
    number: section.number,
    heading: section.heading,
    proposals: section.proposalIds.map((id) => {
      const index = recorded.proposals.findIndex((p) => p.id === id);
      const revision = index >= 0 ? recorded.proposals[index].revision : 0;
      return { id, title: '', kindLabel: '', gcmObjectives: [], revision, contentHash: '', doc: texts[index]?.doc ?? { type: 'doc', content: [] } };
    }),
  }));
  const textCompared = received.format === 'docx' && recorded.kind !== 'redline' && received.read !== null;
  const differences = textCompared && received.read ? compareParagraphs(expectedParagraphs({ sections }), received.read.paragraphs) : [];
  const hashesMatch = proposals.every((p) => p.hashMatches);
  const valid = hashesMatch && differences.length === 0;
  const summary = !hashesMatch
    ? `The log no longer reproduces the recorded text of ${proposals
        .filter((p) => !p.hashMatches)
        .map((p) => `“${p.title}” revision ${p.revision}`)
        .join(', ')}: run npm run verify on the log.`
    : differences.length
      ? `The file differs from the log in paragraph ${differences.map((d) => `${d.number} (${d.problem})`).join(', ')}.`
      : textCompared
        ? `Every numbered paragraph reads as the log's text of the revisions exported on ${input.exportedAt}.`
        : `The export is recorded and the revisions it names still hash as recorded; the ${received.format === 'pdf' ? 'PDF' : 'redline'}'s text itself is not compared (check the DOCX for that).`;
  return { valid, summary, proposals, textCompared, differences };
}
