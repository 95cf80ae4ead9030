/** `GET /api/proposals/<id>/revisions?after=&limit=` */
export interface RevisionPage {
  items: RevisionItemDto[];
  /** The `after` value for the next page, or null at the end. */
  next: number | null;
}

export interface RevisionItemDto {
  revision: number;
  userId: string;
  userName: string;
  at: string;
  /** 'edit' for a co-editing update, 'restore' for one written by a restore, 'seed' for initial text. */
  /** `import`: the text of a Word document a drafter started the proposal from. */
  /** `numbering`: the server giving paragraphs without one their stable id (user `system`); the text is unchanged. */
  kind: 'edit' | 'restore' | 'seed' | 'import' | 'numbering';
}

/** `GET /api/proposals/<id>/revisions/<rev>` */
export interface RevisionDto {
  revision: number;
  contentHash: string;
  text: string;
  /** ProseMirror JSON of the document. */
  doc: unknown;
}

/** `GET /api/proposals/<id>/diff?from=&to=` */
export interface DiffDto {
  from: number;
  to: number;
  spans: DiffSpanDto[];
  authors: { userId: string; userName: string }[];
  /**
   * Paragraphs (headings, list items) that moved between the two revisions, by their stable block id:
   * in `spans` each is deleted at its old place and inserted at its new one; here it is one move.
   */
  moved: MovedBlockDto[];
}

export interface MovedBlockDto {
  blockId: string;
  /** Its text at `to` (at most 140 characters). */
  text: string;
  /** 1-based places among the blocks (paragraphs, headings, list items) at `from` and at `to`. */
  fromPosition: number;
  toPosition: number;
}

export interface DiffSpanDto {
  type: 'equal' | 'insert' | 'delete';
  text: string;
  /** Author of an inserted (or of the deleted) text, from the server-attested events. */
  userId?: string;
  /**
   * The words carry a suggestion mark: `insert` proposed words, `delete` words proposed for
   * deletion (as the later revision reads them, or the earlier one for deleted words).
   */
  suggestion?: 'insert' | 'delete';
}
