/** Issue 13: exported documents and their check against the log. */

export type ExportFormat = 'docx' | 'pdf';

/** A numbered paragraph of a received document that is not the log's text. */
export interface ParagraphDifferenceDto {
  /** As the document prints it: `3.4`, `3.4(a)`. */
  number: string;
  problem: 'altered' | 'missing' | 'added';
  expected: string | null;
  found: string | null;
}

/** `POST /api/documents/verify` (the file as the body): what the log says about a received document. */
export interface DocumentVerificationDto {
  /** True when the export is recorded, every revision's text still hashes as recorded, and (DOCX) every numbered paragraph reads as the log's text. */
  valid: boolean;
  /** One sentence a person can act on. */
  summary: string;
  format: ExportFormat;
  exportId: string | null;
  /** The `DocumentExported` event was found in this log. */
  recorded: boolean;
  kind: 'submission' | 'proposal' | 'redline' | null;
  submissionId: string | null;
  exportedAt: string | null;
  exportedBy: string | null;
  proposals: { id: string; title: string; revision: number; contentHash: string; hashMatches: boolean }[];
  /** Whether the paragraphs of the file were compared with the log (DOCX: yes; PDF: no — its text is not read). */
  textCompared: boolean;
  differences: ParagraphDifferenceDto[];
}

/**
 * `GET /api/submissions/<id>/paragraphs`: the paragraph numbers of the submission as its current texts
 * lay out (the same numbering as its exports: section.paragraph, sub-items (a), (b), nested (i)), each
 * with the stable id of its block, so "para 3.4" can be found in the editor, the history and exports.
 */
export interface ParagraphNumbersDto {
  submissionId: string;
  paragraphs: ParagraphNumberDto[];
}

export interface ParagraphNumberDto {
  /** `3.4`, `3.4(a)`, `3.4(a)(i)`. */
  number: string;
  /** The stable block id (null for a block from before ids). */
  blockId: string | null;
  proposalId: string;
  /** The revision of the proposal it was numbered at (its current one). */
  revision: number;
  /** Its agreed text (open suggestions not taken), at most 200 characters. */
  text: string;
}
