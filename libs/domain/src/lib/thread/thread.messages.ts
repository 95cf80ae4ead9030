import type { ProposalStatus, SubmissionStatus } from '@concord/contracts';
import type { Actor } from '../shared/actor';
import type { Command, Event } from '../shared/decider';

/**
 * Where a thread sits in the text: two Yjs relative positions (`Y.encodeRelativePosition`, base64),
 * which follow their characters through any concurrent edit. Opaque to the domain; the API checks
 * that they decode.
 */
export interface ThreadAnchor {
  readonly from: string;
  readonly to: string;
}

/** What every thread command is decided with besides the thread stream itself. */
interface ThreadContext {
  readonly proposalId: string;
  readonly actor: Actor;
  readonly proposalStatus: ProposalStatus | null;
  readonly submissionStatus: SubmissionStatus | null;
  /** The newest content revision: every thread event records the revision it was made on. */
  readonly currentRevision: number;
}

/** Mentions name workspace members; the handler passes who they are. */
interface WithMentions {
  readonly body: string;
  readonly mentions: readonly string[];
  readonly members: readonly string[];
}

export type OpenThread = Command<'OpenThread', ThreadContext & WithMentions & { threadId: string; anchor: ThreadAnchor; quote: string }>;
export type ReplyToThread = Command<'ReplyToThread', ThreadContext & WithMentions & { threadId: string; replyId: string }>;
export type ResolveThread = Command<'ResolveThread', ThreadContext & { threadId: string }>;
export type ReopenThread = Command<'ReopenThread', ThreadContext & { threadId: string }>;
export type ThreadCommand = OpenThread | ReplyToThread | ResolveThread | ReopenThread;

/** `openedBy` is in the data (not only the metadata) because who may resolve depends on it. */
export type ThreadOpened = Event<
  'ThreadOpened',
  {
    proposalId: string;
    threadId: string;
    anchor: ThreadAnchor;
    quote: string;
    body: string;
    mentions: readonly string[];
    openedBy: string;
    revision: number;
  }
>;
export type ThreadReplied = Event<
  'ThreadReplied',
  { proposalId: string; threadId: string; replyId: string; body: string; mentions: readonly string[]; revision: number }
>;
export type ThreadResolved = Event<'ThreadResolved', { proposalId: string; threadId: string; revision: number }>;
export type ThreadReopened = Event<'ThreadReopened', { proposalId: string; threadId: string; revision: number }>;
export type ThreadEvent = ThreadOpened | ThreadReplied | ThreadResolved | ThreadReopened;
