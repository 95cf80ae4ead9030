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
  kind: 'edit' | 'restore' | 'seed' | 'import';
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
