import type { ProposalStatus, Role, SubmissionStatus } from '@concord/contracts';
import type { Actor } from '../shared/actor';
import { forbidden, invalidState } from '../shared/domain-error';

/**
 * Who may do what: the one definition, used by the deciders (which turn a refusal into a 403 or a
 * 409), by the co-editing socket (read-write, read-only or refused) and by the web client (which
 * offers only what the server would allow).
 */
export type AccessAction =
  | 'read'
  | 'edit-content'
  | 'change-details'
  | 'send-for-review'
  | 'approve'
  | 'request-changes'
  | 'withdraw'
  | 'restore'
  | 'name-version'
  | 'start-silence'
  | 'void-silence'
  | 'object-to-silence'
  | 'co-sponsor'
  | 'withdraw-co-sponsorship'
  | 'comment'
  | 'suggest'
  | 'create-proposal'
  | 'place-proposal'
  | 'open-submission'
  | 'send-submission-for-approval'
  | 'approve-submission'
  | 'lock-submission'
  | 'start-submission-silence'
  | 'void-submission-silence'
  | 'object-to-submission-silence';

export interface AccessInput {
  /** The actor's roles in the proposal's (or submission's) workspace. */
  readonly roles: readonly Role[];
  readonly action: AccessAction;
  /** The proposal acted on; null/undefined for submission-level actions (and for a proposal that does not exist). */
  readonly proposalStatus?: ProposalStatus | null;
  /** The submission acted on, or the one the proposal belongs to; null/undefined when there is none yet. */
  readonly submissionStatus?: SubmissionStatus | null;
}

export type AccessDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** What a co-editing connection may do. `not-found` is for the caller to decide (no such proposal). */
export type ConnectionAccess = 'read-write' | 'suggest-only' | 'read-only' | 'forbidden';

const EVERY_ROLE: readonly Role[] = ['drafter', 'chair', 'auditor', 'admin', 'delegate'];

interface ActionRule {
  /** Holding any one of these roles is enough. */
  readonly roles: readonly Role[];
  /** How the action is named in a refusal: "Only a drafter of this workspace may <phrase>." */
  readonly phrase: string;
  /** Acts on one proposal (its status matters) or on a submission (only the submission's status matters). */
  readonly on: 'proposal' | 'submission';
}

const RULES: Readonly<Record<AccessAction, ActionRule>> = {
  read: { roles: EVERY_ROLE, phrase: 'see this proposal', on: 'proposal' },
  'edit-content': { roles: ['drafter'], phrase: 'edit the text of a proposal', on: 'proposal' },
  'change-details': { roles: ['drafter'], phrase: "change a proposal's details", on: 'proposal' },
  'send-for-review': { roles: ['drafter'], phrase: 'send a proposal for review', on: 'proposal' },
  approve: { roles: ['chair'], phrase: 'approve a proposal', on: 'proposal' },
  'request-changes': { roles: ['chair'], phrase: 'request changes to a proposal', on: 'proposal' },
  withdraw: { roles: ['drafter'], phrase: 'withdraw a proposal', on: 'proposal' },
  restore: { roles: ['drafter'], phrase: 'restore a revision', on: 'proposal' },
  'name-version': { roles: ['drafter', 'chair'], phrase: 'name a version', on: 'proposal' },
  'start-silence': { roles: ['chair'], phrase: 'start a silence procedure', on: 'proposal' },
  'void-silence': { roles: ['chair'], phrase: 'withdraw a silence procedure', on: 'proposal' },
  // Break silence: only a member state's focal point may object.
  'object-to-silence': { roles: ['delegate'], phrase: 'break silence with an objection', on: 'proposal' },
  // Co-sponsorship: a delegate endorses a proposal for the member state they represent (issue 14 §4).
  'co-sponsor': { roles: ['delegate'], phrase: 'co-sponsor a proposal for their member state', on: 'proposal' },
  'withdraw-co-sponsorship': { roles: ['delegate'], phrase: "withdraw their member state's co-sponsorship", on: 'proposal' },
  comment: { roles: ['drafter', 'chair', 'delegate'], phrase: 'comment on a proposal', on: 'proposal' },
  // Suggest changes to the text (track changes), recorded only as their own suggestions. Drafters
  // may suggest too, but they hold edit-content, which is more.
  suggest: { roles: ['delegate'], phrase: 'suggest changes to the text', on: 'proposal' },
  'create-proposal': { roles: ['drafter'], phrase: 'create a proposal', on: 'submission' },
  // Put a proposal under one of the consultation's questions, or move it within its section.
  'place-proposal': { roles: ['drafter'], phrase: 'arrange the sections of a submission', on: 'submission' },
  'open-submission': { roles: ['drafter'], phrase: 'open a submission', on: 'submission' },
  'send-submission-for-approval': { roles: ['drafter'], phrase: 'send a submission for approval', on: 'submission' },
  'approve-submission': { roles: ['chair'], phrase: 'approve a submission', on: 'submission' },
  'lock-submission': { roles: ['chair', 'admin'], phrase: 'lock a submission', on: 'submission' },
  'start-submission-silence': { roles: ['chair'], phrase: 'circulate a submission under silence', on: 'submission' },
  'void-submission-silence': { roles: ['chair'], phrase: 'withdraw a silence procedure', on: 'submission' },
  'object-to-submission-silence': { roles: ['delegate'], phrase: 'break silence with an objection', on: 'submission' },
};

const withArticle = (role: Role) => (role === 'admin' || role === 'auditor' ? `an ${role}` : `a ${role}`);

const PROPOSAL_STATUS_PHRASE: Readonly<Record<ProposalStatus, string>> = {
  draft: 'a draft',
  in_review: 'in review',
  approved: 'approved',
  changes_requested: 'waiting for changes',
  withdrawn: 'withdrawn',
};

const SUBMISSION_STATUS_PHRASE: Readonly<Record<SubmissionStatus, string>> = {
  drafting: 'in drafting',
  review: 'in review',
  approved: 'approved',
  submitted: 'submitted and locked',
};

const LOCKED = 'The submission has been submitted and is locked.';
const WITHDRAWN = 'This proposal has been withdrawn.';

/** Why the roles alone do not allow the action, or null when they do. */
export function roleRefusal(roles: readonly Role[], action: AccessAction): string | null {
  const rule = RULES[action];
  if (rule.roles.some((role) => roles.includes(role))) {
    return null;
  }
  if (action === 'read') {
    return 'Only members of this workspace may see this proposal.';
  }
  const named = rule.roles.map(withArticle);
  const list = named.length > 2 ? `${named.slice(0, -1).join(', ')} or ${named[named.length - 1]}` : named.join(' or ');
  return `Only ${list} of this workspace may ${rule.phrase}.`;
}

function proposalStateRefusal(
  action: AccessAction,
  proposal: ProposalStatus | null | undefined,
  submission: SubmissionStatus | null | undefined,
): string | null {
  if (!proposal) {
    return 'There is no such proposal.';
  }
  if (action === 'read') {
    return null;
  }
  // Every other proposal action changes it: fail closed when its submission is unknown.
  if (proposal === 'withdrawn') {
    return WITHDRAWN;
  }
  if (!submission) {
    return "The proposal's submission is unknown, so the proposal cannot be changed.";
  }
  if (submission === 'submitted') {
    return LOCKED;
  }
  if (action === 'send-for-review' && proposal === 'in_review') {
    return 'This proposal is already in review.';
  }
  if ((action === 'approve' || action === 'request-changes') && proposal !== 'in_review') {
    const outcome = action === 'approve' ? 'approved' : 'sent back for changes';
    return `Only a proposal in review can be ${outcome}; this one is ${PROPOSAL_STATUS_PHRASE[proposal]}.`;
  }
  return null;
}

/** The status a submission must have for each submission action that changes an existing submission. */
const SUBMISSION_STEP: Partial<
  Record<AccessAction, { readonly from: SubmissionStatus; readonly subject: string; readonly outcome: string }>
> = {
  'send-submission-for-approval': { from: 'drafting', subject: 'a submission in drafting', outcome: 'sent for approval' },
  'approve-submission': { from: 'review', subject: 'a submission in review', outcome: 'approved' },
  'lock-submission': { from: 'approved', subject: 'an approved submission', outcome: 'locked' },
};

function submissionStateRefusal(action: AccessAction, submission: SubmissionStatus | null | undefined): string | null {
  // Opening one creates it: whether it already exists is a conflict for the decider, not a permission.
  if (action === 'open-submission') {
    return null;
  }
  if (!submission) {
    return 'There is no such submission.';
  }
  if (submission === 'submitted') {
    return LOCKED;
  }
  const step = SUBMISSION_STEP[action];
  if (step && submission !== step.from) {
    return `Only ${step.subject} can be ${step.outcome}; this one is ${SUBMISSION_STATUS_PHRASE[submission]}.`;
  }
  return null;
}

/** Why the state of the proposal and its submission does not allow the action, or null when it does. */
export function stateRefusal(
  action: AccessAction,
  proposalStatus: ProposalStatus | null | undefined,
  submissionStatus: SubmissionStatus | null | undefined,
): string | null {
  return RULES[action].on === 'proposal'
    ? proposalStateRefusal(action, proposalStatus, submissionStatus)
    : submissionStateRefusal(action, submissionStatus);
}

/** Roles first, then state: someone without the role is told so whatever the state. */
export function decideAccess(input: AccessInput): AccessDecision {
  const reason =
    roleRefusal(input.roles, input.action) ?? stateRefusal(input.action, input.proposalStatus, input.submissionStatus);
  return reason === null ? { allowed: true } : { allowed: false, reason };
}

export const isAllowed = (input: AccessInput): boolean => decideAccess(input).allowed;

export function canWriteContent(
  roles: readonly Role[],
  proposalStatus: ProposalStatus | null | undefined,
  submissionStatus: SubmissionStatus | null | undefined,
): boolean {
  return isAllowed({ roles, action: 'edit-content', proposalStatus, submissionStatus });
}

/** A co-editing connection writes when it may edit the text, suggests when it may suggest, reads when it may see it, else is refused. */
export function accessOf(
  roles: readonly Role[],
  proposalStatus: ProposalStatus,
  submissionStatus: SubmissionStatus | null | undefined,
): ConnectionAccess {
  if (canWriteContent(roles, proposalStatus, submissionStatus)) {
    return 'read-write';
  }
  if (isAllowed({ roles, action: 'suggest', proposalStatus, submissionStatus })) {
    return 'suggest-only';
  }
  return isAllowed({ roles, action: 'read', proposalStatus, submissionStatus }) ? 'read-only' : 'forbidden';
}

/** The roles the policy sees for an actor: a platform administrator counts as an `admin` of every workspace. */
export function policyRolesOf(actor: Actor): readonly Role[] {
  return actor.isAdmin && !actor.roles.includes('admin') ? [...actor.roles, 'admin'] : actor.roles;
}

/**
 * For deciders: a refusal for the role is `forbidden` (403), one for the state of the proposal or
 * submission `invalid_state` (409).
 */
export function requireAccess(
  actor: Actor,
  action: AccessAction,
  proposalStatus: ProposalStatus | null | undefined,
  submissionStatus: SubmissionStatus | null | undefined,
): void {
  const byRole = roleRefusal(policyRolesOf(actor), action);
  if (byRole !== null) {
    throw forbidden(byRole);
  }
  const byState = stateRefusal(action, proposalStatus, submissionStatus);
  if (byState !== null) {
    throw invalidState(byState);
  }
}
