import type { NotificationKind } from '@concord/contracts';

/** The event a notification is derived from (a recorded event, reduced to what the derivation reads). */
export interface NotificationSource {
  readonly type: string;
  readonly data: unknown;
  /** Who did it (metadata.userId; 'system' for the server's own events). */
  readonly actorId: string;
}

export interface ProposalFacts {
  readonly proposalId: string;
  readonly iscmId: string;
  readonly submissionId: string;
  readonly title: string;
  readonly createdBy: string;
  /** Who approved the text now approved (a chair, or the chair who circulated a silence adopted); null when none. */
  readonly approvedBy: string | null;
}

/**
 * What the derivation needs to know beyond the event, read by the projection from its own tables
 * (never another projection's, which may be at another position of the log).
 */
export interface NotificationFacts {
  readonly proposal?: ProposalFacts;
  /** The workspace's members by role (of the proposal's, submission's or event's workspace). */
  readonly chairs: readonly string[];
  readonly drafters: readonly string[];
  readonly delegates: readonly string[];
  /** Drafters who wrote the proposal's text (content updates), besides its creator. */
  readonly textAuthors: readonly string[];
  /** For a reply: who opened the thread or replied to it before. */
  readonly threadParticipants: readonly string[];
  /** For a decided suggestion: its author. */
  readonly suggestionAuthor?: string;
  /** For an accepted invitation: who issued it. */
  readonly invitedBy?: string;
  readonly actorName: string;
  readonly workspaceName?: string;
  readonly submissionTitle?: string;
  /** The workspace of the submission a submission-level event concerns. */
  readonly iscmOfSubmission?: string;
  /** For a broken silence: the name of the objecting member state (reference data). */
  readonly memberStateName?: string;
}

export interface DerivedNotification {
  readonly recipientId: string;
  readonly kind: NotificationKind;
  readonly iscmId: string;
  readonly proposalId: string | null;
  readonly submissionId: string | null;
  readonly threadId: string | null;
  readonly title: string;
  readonly body: string;
  readonly link: string;
}

/** The event types the derivation may notify about (the projection reads facts only for these). */
export const NOTIFYING_EVENT_TYPES: ReadonlySet<string> = new Set([
  'ProposalSentForReview',
  'ChangesRequested',
  'ProposalApproved',
  'ApprovalStale',
  'ThreadOpened',
  'ThreadReplied',
  'SuggestionAccepted',
  'SuggestionRejected',
  'SilenceStarted',
  'SilenceBroken',
  'SilenceAdopted',
  'SubmissionSilenceStarted',
  'SubmissionSilenceBroken',
  'SubmissionSilenceAdopted',
  'DeadlineApproaching',
  'MemberAdded',
  'InvitationAccepted',
]);

/**
 * The pseudo-event the projection derives when a proposal's text moves on after an approval (the
 * first recorded edit by a person after `ProposalApproved` or `SilenceAdopted`): stale is not an
 * event of the log but a fact about the text, and this is the moment it becomes true.
 */
export const APPROVAL_STALE = 'ApprovalStale';

const SYSTEM = 'system';

const unique = (ids: readonly (string | null | undefined)[]) => [...new Set(ids.filter((id): id is string => !!id && id !== SYSTEM))];
const record = (data: unknown) => (data ?? {}) as Record<string, unknown>;
const str = (value: unknown) => (typeof value === 'string' ? value : '');
const excerpt = (text: string, max = 140) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const proposalLink = (proposalId: string) => `/proposals/${proposalId}`;

/**
 * Who is told what about one event: pure, so that every node and every replay derive the same
 * notifications. Nobody is notified of their own action.
 */
export function notificationsFor(event: NotificationSource, facts: NotificationFacts): DerivedNotification[] {
  const data = record(event.data);
  const proposal = facts.proposal;
  const authors = proposal ? unique([proposal.createdBy, ...facts.textAuthors]) : [];
  const forProposal = (kind: NotificationKind, recipients: readonly (string | null | undefined)[], title: string, body: string, threadId: string | null = null): DerivedNotification[] =>
    proposal
      ? unique(recipients)
          .filter((id) => id !== event.actorId)
          .map((recipientId) => ({
            recipientId,
            kind,
            iscmId: proposal.iscmId,
            proposalId: proposal.proposalId,
            submissionId: proposal.submissionId,
            threadId,
            title,
            body,
            link: threadId ? `${proposalLink(proposal.proposalId)}?thread=${threadId}` : proposalLink(proposal.proposalId),
          }))
      : [];
  const name = facts.actorName;
  const t = proposal?.title ?? '';
  const silenceAudience = [...facts.chairs, ...facts.drafters, ...facts.delegates];

  switch (event.type) {
    case 'ProposalSentForReview':
      return forProposal('review-requested', facts.chairs, `Review requested: ${t}`, `${name} sent revision ${data['revision']} of “${t}” for review.`);
    case 'ChangesRequested':
      return forProposal('changes-requested', authors, `Changes requested: ${t}`, `${name} asked for changes to revision ${data['revision']}: ${excerpt(str(data['comment']))}`);
    case 'ProposalApproved':
      return forProposal('approved', authors, `Approved: ${t}`, `${name} approved revision ${data['revision']} of “${t}”.`);
    case APPROVAL_STALE:
      return forProposal(
        'approval-stale',
        [...authors, proposal?.approvedBy],
        `Approval stale: ${t}`,
        `${name} changed the text of “${t}” after it was approved (revision ${data['revision']}); the approval no longer covers it.`,
      );
    case 'ThreadOpened':
    case 'ThreadReplied': {
      const threadId = str(data['threadId']);
      const mentioned = unique((data['mentions'] as string[] | undefined) ?? []);
      const mentions = forProposal('mention', mentioned, `${name} mentioned you on ${t}`, excerpt(str(data['body'])), threadId);
      if (event.type === 'ThreadOpened') return mentions;
      const told = new Set(mentioned);
      const replies = forProposal(
        'thread-reply',
        facts.threadParticipants.filter((id) => !told.has(id)),
        `${name} replied on ${t}`,
        excerpt(str(data['body'])),
        threadId,
      );
      return [...mentions, ...replies];
    }
    case 'SuggestionAccepted':
    case 'SuggestionRejected': {
      const verb = event.type === 'SuggestionAccepted' ? 'accepted' : 'rejected';
      const words = str(data['textAfter']) || str(data['textBefore']);
      return forProposal(
        'suggestion-decided',
        [facts.suggestionAuthor],
        `Your suggestion was ${verb}: ${t}`,
        `${name} ${verb} your suggestion “${excerpt(words, 80)}” in revision ${data['revision']}.`,
      );
    }
    case 'SilenceStarted':
      return forProposal(
        'silence-started',
        silenceAudience,
        `Silence procedure: ${t}`,
        `${name} circulated revision ${data['revision']} of “${t}” under silence procedure until ${str(data['deadline'])}. Objections must be raised before then.`,
      );
    case 'SilenceBroken':
      return forProposal(
        'silence-broken',
        silenceAudience,
        `Silence broken: ${t}`,
        `${name} broke silence for ${facts.memberStateName ?? str(data['memberState'])}: ${excerpt(str(data['reason']))}`,
      );
    case 'SilenceAdopted':
      return forProposal('silence-adopted', silenceAudience, `Adopted by silence: ${t}`, `No objection was raised by ${str(data['deadline'])}: revision ${data['revision']} of “${t}” is adopted.`);
    case 'SubmissionSilenceStarted':
    case 'SubmissionSilenceBroken':
    case 'SubmissionSilenceAdopted': {
      // A whole submission circulated under silence: the same people as for a proposal's, linked to the submission.
      const submissionId = str(data['submissionId']);
      const title = facts.submissionTitle ?? 'a submission';
      const told = {
        SubmissionSilenceStarted: ['silence-started', `Silence procedure: ${title}`, `${name} circulated the whole submission “${title}” under silence procedure until ${str(data['deadline'])}. Objections must be raised before then.`],
        SubmissionSilenceBroken: ['silence-broken', `Silence broken: ${title}`, `${name} broke silence on the submission for ${facts.memberStateName ?? str(data['memberState'])}: ${excerpt(str(data['reason']))}`],
        SubmissionSilenceAdopted: ['silence-adopted', `Adopted by silence: ${title}`, `No objection was raised by ${str(data['deadline'])}: the submission “${title}” is adopted with the texts circulated.`],
      } as const;
      const [kind, heading, body] = told[event.type];
      const iscmId = facts.iscmOfSubmission ?? '';
      return unique(silenceAudience)
        .filter((id) => id !== event.actorId)
        .map((recipientId) => ({ recipientId, kind, iscmId, proposalId: null, submissionId, threadId: null, title: heading, body, link: `/submissions/${submissionId}` }));
    }
    case 'DeadlineApproaching': {
      if (data['subject'] === 'silence') {
        return forProposal('deadline-soon', silenceAudience, `Silence ends within 24 hours: ${t}`, `The silence procedure on “${t}” ends at ${str(data['deadline'])}.`);
      }
      const submissionId = str(data['submissionId']);
      const title = facts.submissionTitle ?? 'a submission';
      return unique([...facts.chairs, ...facts.drafters])
        .filter((id) => id !== event.actorId)
        .map((recipientId) => ({
          recipientId,
          kind: 'deadline-soon' as const,
          iscmId: str(data['iscmId']),
          proposalId: null,
          submissionId,
          threadId: null,
          title: `Due within 24 hours: ${title}`,
          body: `The submission “${title}” is due on ${str(data['deadline'])}.`,
          link: `/submissions/${submissionId}`,
        }));
    }
    case 'MemberAdded': {
      const userId = str(data['userId']);
      // Memberships the server seeds (demo, first administrator) were given by nobody: nothing to tell.
      if (!userId || userId === event.actorId || event.actorId === SYSTEM) return [];
      const workspace = facts.workspaceName ?? str(data['iscmId']);
      return [
        {
          recipientId: userId,
          kind: 'invitation',
          iscmId: str(data['iscmId']),
          proposalId: null,
          submissionId: null,
          threadId: null,
          title: `Added to ${workspace}`,
          body: `${name} added you to ${workspace} as ${str(data['role'])}.`,
          link: '/',
        },
      ];
    }
    case 'InvitationAccepted': {
      const inviter = facts.invitedBy;
      if (!inviter || inviter === event.actorId) return [];
      const workspace = facts.workspaceName ?? str(data['iscmId']);
      return [
        {
          recipientId: inviter,
          kind: 'invitation',
          iscmId: str(data['iscmId']),
          proposalId: null,
          submissionId: null,
          threadId: null,
          title: `Invitation accepted: ${workspace}`,
          body: `${name} (${str(data['email'])}) accepted your invitation to ${workspace}.`,
          link: `/admin/workspaces/${str(data['iscmId'])}`,
        },
      ];
    }
    default:
      return [];
  }
}
