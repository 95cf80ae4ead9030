/**
 * What domain commands need to know about a proposal's text: its newest revision and the content
 * hash of any revision. Implemented over the content stream by the history module.
 */
export interface ContentHistory {
  currentRevision(proposalId: string): Promise<number>;
  contentHashAt(proposalId: string, revision: number): Promise<string>;
  /** Appends initial content written on the server (never by a client), as revision 1. */
  seedContent(proposalId: string, document: unknown, userId: string): Promise<number>;
}

export const CONTENT_HISTORY = Symbol('CONTENT_HISTORY');
