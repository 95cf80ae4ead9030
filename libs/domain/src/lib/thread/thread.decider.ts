import { policyRolesOf, requireAccess, roleRefusal } from '../access/access-policy';
import type { Decider } from '../shared/decider';
import { unknownCommand } from '../shared/decider';
import { conflict, forbidden, invalid, notFound } from '../shared/domain-error';
import { boundedText, requiredString } from '../shared/validation';
import type {
  OpenThread,
  ReopenThread,
  ReplyToThread,
  ResolveThread,
  ThreadCommand,
  ThreadEvent,
  ThreadOpened,
  ThreadReopened,
  ThreadReplied,
  ThreadResolved,
} from './thread.messages';

/** The limits a thread keeps, so that one member cannot flood a proposal's discussion. */
export const THREAD_LIMITS = {
  body: 4000,
  quote: 1000,
  anchor: 256,
  mentions: 20,
  threadsPerProposal: 2000,
  repliesPerThread: 500,
} as const;

interface ThreadFacts {
  readonly status: 'open' | 'resolved';
  readonly openedBy: string;
  readonly replies: number;
}

/** All threads of one proposal (one stream per proposal: `proposal-<id>-threads`). */
export interface ThreadsState {
  readonly threads: Readonly<Record<string, ThreadFacts>>;
  readonly replyIds: ReadonlySet<string>;
}

export const initialThreadsState = (): ThreadsState => ({ threads: {}, replyIds: new Set() });

export function evolveThreads(state: ThreadsState, event: ThreadEvent): ThreadsState {
  const { threadId } = event.data;
  const thread = Object.hasOwn(state.threads, threadId) ? state.threads[threadId] : undefined;
  const withThread = (facts: ThreadFacts) => ({ ...state, threads: { ...state.threads, [threadId]: facts } });
  switch (event.type) {
    case 'ThreadOpened':
      return withThread({ status: 'open', openedBy: event.data.openedBy, replies: 0 });
    case 'ThreadReplied':
      if (!thread) return state;
      return { ...withThread({ ...thread, replies: thread.replies + 1 }), replyIds: new Set([...state.replyIds, event.data.replyId]) };
    case 'ThreadResolved':
      return thread ? withThread({ ...thread, status: 'resolved' }) : state;
    case 'ThreadReopened':
      return thread ? withThread({ ...thread, status: 'open' }) : state;
  }
}

const ID = /^[A-Za-z0-9-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function identifier(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ID.test(value)) throw invalid(`${field} must be 1 to 64 letters, digits or dashes.`);
  return value;
}

function anchorPosition(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > THREAD_LIMITS.anchor || !BASE64.test(value)) {
    throw invalid(`${field} must be an encoded relative position (base64, at most ${THREAD_LIMITS.anchor} characters).`);
  }
  return value;
}

function checkMentions(mentions: unknown, members: readonly string[]): string[] {
  if (!Array.isArray(mentions)) throw invalid('mentions must be a list of user ids.');
  if (mentions.length > THREAD_LIMITS.mentions) throw invalid(`A message may mention at most ${THREAD_LIMITS.mentions} members.`);
  const unique = [...new Set(mentions)];
  const strangers = unique.filter((userId) => typeof userId !== 'string' || !members.includes(userId));
  if (strangers.length > 0) throw invalid(`Only members of this workspace can be mentioned; ${strangers.map(String).join(', ')} is not one.`);
  return unique as string[];
}

function existingThread(state: ThreadsState, threadId: string): ThreadFacts {
  const thread = Object.hasOwn(state.threads, threadId) ? state.threads[threadId] : undefined;
  if (!thread) throw notFound(`There is no thread ${threadId} on this proposal.`);
  return thread;
}

const body = (value: unknown) => boundedText(value, 'A comment', THREAD_LIMITS.body);

function openThread({ data }: OpenThread, state: ThreadsState): ThreadOpened[] {
  requireAccess(data.actor, 'comment', data.proposalStatus, data.submissionStatus);
  const threadId = identifier(data.threadId, 'threadId');
  if (Object.hasOwn(state.threads, threadId)) throw conflict(`Thread ${threadId} already exists.`);
  if (Object.keys(state.threads).length >= THREAD_LIMITS.threadsPerProposal) {
    throw invalid(`A proposal holds at most ${THREAD_LIMITS.threadsPerProposal} threads.`);
  }
  if (typeof data.anchor !== 'object' || data.anchor === null) throw invalid('anchor {from, to} is required.');
  return [
    {
      type: 'ThreadOpened',
      data: {
        proposalId: requiredString(data.proposalId, 'proposalId'),
        threadId,
        anchor: { from: anchorPosition(data.anchor.from, 'anchor.from'), to: anchorPosition(data.anchor.to, 'anchor.to') },
        quote: boundedText(data.quote, 'The quoted text', THREAD_LIMITS.quote),
        body: body(data.body),
        mentions: checkMentions(data.mentions, data.members),
        openedBy: data.actor.userId,
        revision: data.currentRevision,
      },
    },
  ];
}

function replyToThread({ data }: ReplyToThread, state: ThreadsState): ThreadReplied[] {
  requireAccess(data.actor, 'comment', data.proposalStatus, data.submissionStatus);
  const thread = existingThread(state, data.threadId);
  const replyId = identifier(data.replyId, 'replyId');
  if (state.replyIds.has(replyId)) throw conflict(`Reply ${replyId} already exists.`);
  if (thread.replies >= THREAD_LIMITS.repliesPerThread) throw invalid(`A thread holds at most ${THREAD_LIMITS.repliesPerThread} replies.`);
  return [
    {
      type: 'ThreadReplied',
      data: {
        proposalId: data.proposalId,
        threadId: data.threadId,
        replyId,
        body: body(data.body),
        mentions: checkMentions(data.mentions, data.members),
        revision: data.currentRevision,
      },
    },
  ];
}

/**
 * Resolving and reopening: the thread's author, or a drafter or chair of the workspace. As for every
 * action, who may is decided first (403), then whether the text is still open (409), then whether
 * the thread exists (404) — except that a commenter who is neither drafter nor chair may settle
 * only a thread they opened, which needs the thread.
 */
function settleableThread(command: ResolveThread | ReopenThread, state: ThreadsState): ThreadFacts {
  const { actor, threadId } = command.data;
  const byRole = roleRefusal(policyRolesOf(actor), 'comment');
  if (byRole !== null) throw forbidden(byRole);
  const thread = Object.hasOwn(state.threads, threadId) ? state.threads[threadId] : undefined;
  if (!actor.roles.some((role) => role === 'drafter' || role === 'chair') && thread?.openedBy !== actor.userId) {
    throw forbidden('Only the author of a thread, a drafter or a chair may resolve or reopen it.');
  }
  requireAccess(actor, 'comment', command.data.proposalStatus, command.data.submissionStatus);
  return existingThread(state, threadId);
}

function resolveThread(command: ResolveThread, state: ThreadsState): ThreadResolved[] {
  const thread = settleableThread(command, state);
  if (thread.status === 'resolved') return [];
  const { proposalId, threadId, currentRevision } = command.data;
  return [{ type: 'ThreadResolved', data: { proposalId, threadId, revision: currentRevision } }];
}

function reopenThread(command: ReopenThread, state: ThreadsState): ThreadReopened[] {
  const thread = settleableThread(command, state);
  if (thread.status === 'open') return [];
  const { proposalId, threadId, currentRevision } = command.data;
  return [{ type: 'ThreadReopened', data: { proposalId, threadId, revision: currentRevision } }];
}

export function decideThreads(command: ThreadCommand, state: ThreadsState): ThreadEvent[] {
  switch (command.type) {
    case 'OpenThread':
      return openThread(command, state);
    case 'ReplyToThread':
      return replyToThread(command, state);
    case 'ResolveThread':
      return resolveThread(command, state);
    case 'ReopenThread':
      return reopenThread(command, state);
    default:
      return unknownCommand(command);
  }
}

export const threadsDecider: Decider<ThreadsState, ThreadCommand, ThreadEvent> = {
  initialState: initialThreadsState,
  evolve: evolveThreads,
  decide: decideThreads,
};
