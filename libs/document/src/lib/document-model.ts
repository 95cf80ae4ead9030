/**
 * What an exported document is made of, before it becomes a file: the submission (or one proposal)
 * as sections of proposals whose text is the ProseMirror JSON of one recorded revision. Writers
 * (DOCX, HTML for PDF) and the verifier all lay it out with `layOutDocument`, so a paragraph number
 * means the same words in the file, in the print view and in the check against the log.
 */

/** A node of the editor's ProseMirror JSON (`toProseMirrorJson` of libs/content). */
export interface PmNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: PmNode[];
  text?: string;
  marks?: PmMark[];
}

export interface PmMark {
  type: string;
  attrs?: Record<string, unknown>;
}

/** How open suggestions (track-changes marks in the text) appear in the file. */
export type SuggestionRendering = 'clean' | 'tracked';

/** An open comment thread on a proposal's words, written as a Word comment with its replies. */
export interface ExportComment {
  /** The words it was opened on, as they read then: found in the text to place the comment. */
  quote: string;
  messages: readonly { author: string; at: string; body: string }[];
}

export interface ExportProposal {
  id: string;
  title: string;
  /** The kind of practical approach, as people read it ("Programme / project"). */
  kindLabel: string;
  gcmObjectives: readonly number[];
  revision: number;
  contentHash: string;
  doc: PmNode;
  /** Open comment threads to write as Word comments (none: comments left out). */
  comments?: readonly ExportComment[];
  /**
   * The section's introduction (a proposal of kind `introduction`): it comes first in its section,
   * under a discreet "Introduction" instead of its title and details; its paragraphs are numbered
   * like the others, so the section's numbering goes on after it.
   */
  introduction?: boolean;
  /**
   * The names of the member states co-sponsoring the proposal as of the export's log position,
   * alphabetical: printed "Co-sponsored by: …" under its title (none: no line).
   */
  coSponsors?: readonly string[];
}

export interface ExportSection {
  /** 1-based; null when the document is a single proposal (its paragraphs are numbered 1, 2, …). */
  number: number | null;
  heading: string;
  proposals: readonly ExportProposal[];
}

/** One line of the approval annex: a proposal's approval as the log records it. */
export interface ApprovalRecord {
  proposalId: string;
  proposalTitle: string;
  /** Null when the proposal has no approval. */
  revision: number | null;
  contentHash: string | null;
  chair: string | null;
  at: string | null;
  /** The approval binds the revision exported (its hash equals the exported text's). */
  current: boolean;
  /** Global position of the approval event in the log. */
  logPosition: number | null;
  /** The first signed checkpoint at or after that position, if one was signed yet. */
  checkpoint: { globalPosition: number; merkleRoot: string; at: string } | null;
}

/**
 * Carried inside every exported file (DOCX custom property, PDF document information) and recorded
 * in the log as the export event: enough for anyone holding the file to ask the log whether its
 * text is the text of those revisions.
 */
export interface DocumentManifest {
  format: 'concord-document/1';
  /** The id of the `DocumentExported` event that recorded this export. */
  exportId: string;
  kind: 'submission' | 'proposal' | 'redline';
  submissionId: string;
  proposals: { id: string; revision: number; contentHash: string }[];
  /** How the proposals were laid out (paragraph numbers depend on it). */
  sections: { number: number | null; heading: string; proposalIds: string[] }[];
  /** Redlines only: the earlier revision compared. */
  fromRevision?: number;
  suggestions: SuggestionRendering;
  /** The log's head position when the file was made. */
  logPosition: number;
  exportedAt: string;
  exportedBy: string;
}

export interface ExportDocumentModel {
  title: string;
  iscmName: string;
  consultation: string;
  /** The date printed on the document (ISO yyyy-mm-dd). */
  date: string;
  /** A line saying which texts these are ("Current texts", "Approved texts", "Revision 12"). */
  edition: string;
  sections: readonly ExportSection[];
  /** Null leaves the annex out. */
  approvals: readonly ApprovalRecord[] | null;
  suggestions: SuggestionRendering;
  /** Names of the people who suggested changes (userId → name), for tracked changes. */
  people: ReadonlyMap<string, string>;
  manifest: DocumentManifest;
}
