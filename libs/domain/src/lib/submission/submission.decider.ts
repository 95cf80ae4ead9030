import type { SubmissionStatus } from '@concord/contracts';
import { requireAccess } from '../access/access-policy';
import type { Decider } from '../shared/decider';
import { unknownCommand } from '../shared/decider';
import { conflict, invalid, invalidState, notFound } from '../shared/domain-error';
import { boundedText, isoDate, requiredString } from '../shared/validation';
import type {
  ApproveSubmission,
  LockSubmission,
  OpenSubmission,
  ProposalApprovalState,
  SendSubmissionForApproval,
  SubmissionApproved,
  SubmissionCommand,
  SubmissionEvent,
  SubmissionLocked,
  SubmissionOpened,
  SubmissionSentForApproval,
} from './submission.messages';

export type SubmissionState =
  | { readonly status: 'unopened' }
  | { readonly status: SubmissionStatus; readonly submissionId: string; readonly iscmId: string };

type OpenedSubmission = Exclude<SubmissionState, { status: 'unopened' }>;

export const initialSubmissionState = (): SubmissionState => ({ status: 'unopened' });

const NEXT_STATUS: Record<Exclude<SubmissionEvent['type'], 'SubmissionOpened'>, SubmissionStatus> = {
  SubmissionSentForApproval: 'review',
  SubmissionApproved: 'approved',
  SubmissionLocked: 'submitted',
};

export function evolveSubmission(state: SubmissionState, event: SubmissionEvent): SubmissionState {
  if (event.type === 'SubmissionOpened') {
    return { status: 'drafting', submissionId: event.data.submissionId, iscmId: event.data.iscmId };
  }
  return state.status === 'unopened' ? state : { ...state, status: NEXT_STATUS[event.type] };
}

function requireOpened(state: SubmissionState, submissionId: string): OpenedSubmission {
  if (state.status === 'unopened') {
    throw notFound(`There is no submission ${submissionId}.`);
  }
  return state;
}

function openSubmission({ data }: OpenSubmission, state: SubmissionState): SubmissionOpened[] {
  requireAccess(data.actor, 'open-submission', null, null);
  if (state.status !== 'unopened') {
    throw conflict(`Submission ${data.submissionId} already exists.`);
  }
  return [
    {
      type: 'SubmissionOpened',
      data: {
        submissionId: requiredString(data.submissionId, 'submissionId'),
        iscmId: requiredString(data.iscmId, 'iscmId'),
        consultation: boundedText(data.consultation, 'Consultation', 200),
        title: boundedText(data.title, 'Title', 200),
        dueDate: isoDate(data.dueDate, 'Due date'),
      },
    },
  ];
}

function sendForApproval({ data }: SendSubmissionForApproval, state: SubmissionState): SubmissionSentForApproval[] {
  const submission = requireOpened(state, data.submissionId);
  requireAccess(data.actor, 'send-submission-for-approval', null, submission.status);
  return [{ type: 'SubmissionSentForApproval', data: { submissionId: submission.submissionId } }];
}

function validProposals(value: unknown): ProposalApprovalState[] {
  const entries = Array.isArray(value) ? (value as ProposalApprovalState[]) : undefined;
  const valid =
    entries?.every(
      (entry) =>
        typeof entry?.proposalId === 'string' &&
        entry.proposalId !== '' &&
        typeof entry.title === 'string' &&
        typeof entry.status === 'string' &&
        typeof entry.approvalCurrent === 'boolean' &&
        Number.isInteger(entry.revision) &&
        entry.revision >= 0,
    ) && new Set(entries.map((entry) => entry.proposalId)).size === entries.length;
  if (!entries || !valid) {
    throw invalid('The proposals must list each proposal once, with a revision that is a whole number of 0 or more.');
  }
  return entries;
}

const quoted = (proposals: readonly ProposalApprovalState[]) => proposals.map((p) => `“${p.title}”`).join(', ');

/** Every proposal still in the submission must carry an approval of its current text. */
function requireEveryProposalApproved(proposals: readonly ProposalApprovalState[]): void {
  const notApproved = proposals.filter((p) => p.status !== 'approved');
  const stale = proposals.filter((p) => p.status === 'approved' && !p.approvalCurrent);
  if (notApproved.length === 0 && stale.length === 0) {
    return;
  }
  const reasons = [
    notApproved.length ? `not approved: ${quoted(notApproved)}` : '',
    stale.length ? `approved, but the text has changed since: ${quoted(stale)}` : '',
  ].filter(Boolean);
  throw invalidState(
    `A submission can be approved only when the chair has approved the current text of each of its proposals; ${reasons.join('; ')}.`,
  );
}

function approveSubmission({ data }: ApproveSubmission, state: SubmissionState): SubmissionApproved[] {
  const submission = requireOpened(state, data.submissionId);
  requireAccess(data.actor, 'approve-submission', null, submission.status);
  const live = validProposals(data.proposals).filter((proposal) => proposal.status !== 'withdrawn');
  requireEveryProposalApproved(live);
  return [
    {
      type: 'SubmissionApproved',
      data: {
        submissionId: submission.submissionId,
        proposalRevisions: live.map(({ proposalId, revision }) => ({ proposalId, revision })),
      },
    },
  ];
}

function lockSubmission({ data }: LockSubmission, state: SubmissionState): SubmissionLocked[] {
  const submission = requireOpened(state, data.submissionId);
  requireAccess(data.actor, 'lock-submission', null, submission.status);
  return [{ type: 'SubmissionLocked', data: { submissionId: submission.submissionId } }];
}

export function decideSubmission(command: SubmissionCommand, state: SubmissionState): SubmissionEvent[] {
  switch (command.type) {
    case 'OpenSubmission':
      return openSubmission(command, state);
    case 'SendSubmissionForApproval':
      return sendForApproval(command, state);
    case 'ApproveSubmission':
      return approveSubmission(command, state);
    case 'LockSubmission':
      return lockSubmission(command, state);
    default:
      return unknownCommand(command);
  }
}

export const submissionDecider: Decider<SubmissionState, SubmissionCommand, SubmissionEvent> = {
  initialState: initialSubmissionState,
  evolve: evolveSubmission,
  decide: decideSubmission,
};
