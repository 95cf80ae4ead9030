import type { MemberStateDto } from './workspace.contracts';

/** Two Yjs relative positions (`Y.encodeRelativePosition`, base64) around the words a thread is on. */
export interface ThreadAnchorDto {
  from: string;
  to: string;
}

export interface ThreadMessageDto {
  id: string;
  authorId: string;
  authorName: string;
  /** The member state the author speaks for as a delegate of the workspace; null for anyone else. */
  authorMemberState: MemberStateDto | null;
  body: string;
  /** User ids mentioned with `@name`. */
  mentions: string[];
  at: string;
  /** The content revision the message was written on. */
  revision: number;
}

export type ThreadStatus = 'open' | 'resolved';

/** A comment thread on words of a proposal; `messages[0]` is the opening comment. */
export interface ThreadDto {
  id: string;
  proposalId: string;
  anchor: ThreadAnchorDto;
  /** The words the thread was opened on, as they read then (shown when they are deleted). */
  quote: string;
  status: ThreadStatus;
  openedBy: string;
  openedByName: string;
  openedAt: string;
  /** The content revision it was opened on. */
  revision: number;
  resolvedBy: string | null;
  resolvedByName: string | null;
  resolvedAt: string | null;
  messages: ThreadMessageDto[];
}

export interface OpenThreadRequest {
  anchor: ThreadAnchorDto;
  quote: string;
  body: string;
  mentions?: string[];
}

export interface ReplyToThreadRequest {
  body: string;
  mentions?: string[];
}

/** Someone who may be mentioned in a thread of this proposal. */
export interface MentionableMemberDto {
  userId: string;
  name: string;
}
