/**
 * What domain commands need to know about a proposal's text: its newest revision and the content
 * hash of any revision. Implemented over the content stream by the history module.
 */
export interface ContentHistory {
  currentRevision(proposalId: string): Promise<number>;
  contentHashAt(proposalId: string, revision: number): Promise<string>;
  /**
   * Appends initial content written on the server (never by a client), as revision 1: `kind`
   * 'seed' (default), or 'import' for the text of a Word file the user imported.
   */
  seedContent(proposalId: string, document: unknown, userId: string, kind?: 'seed' | 'import'): Promise<number>;
  /**
   * Records, as `userId`'s edit, what `change` does to a copy of the current text (the `content`
   * XmlFragment of a Yjs document; relative positions taken there hold in the live text). For
   * server-side content only (the demo's suggestions): nothing a client sends goes this way.
   */
  editAs(proposalId: string, userId: string, change: (content: import('yjs').XmlFragment) => void): Promise<number>;
  /** A fresh recorded document at revision r (the caller destroys it). */
  documentAt(proposalId: string, revision: number): Promise<import('yjs').Doc>;
  /** The updates of revisions after..upTo with their writers and times, ascending. */
  updatesWithAuthors(proposalId: string, upTo: number, after: number): Promise<RecordedContentUpdate[]>;
  /**
   * Every user who recorded an update in revisions 1..revision, whether it wrote or only deleted
   * (from the attribution stored with the newest snapshot plus the updates after it).
   */
  authorsUpTo(proposalId: string, revision: number): Promise<readonly string[]>;
}

export interface RecordedContentUpdate {
  readonly revision: number;
  readonly update: Uint8Array;
  readonly userId: string;
  readonly at: string;
}

export const CONTENT_HISTORY = Symbol('CONTENT_HISTORY');
