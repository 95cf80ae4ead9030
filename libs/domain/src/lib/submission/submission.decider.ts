import type { SubmissionStatus } from '@concord/contracts';
import { requireRole } from '../shared/actor';
import type { Decider } from '../shared/decider';
import { unknownCommand } from '../shared/decider';
import { conflict, invalid, invalidState, notFound } from '../shared/domain-error';
import { boundedText, isoDate, requiredString } from '../shared/validation';
import type {
  ApproveSubmission,
  LockSubmission,
  OpenSubmission,
  ProposalRevision,
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

function requireStatus(submission: OpenedSubmission, expected: SubmissionStatus, action: string): void {
  if (submission.status === 'submitted') {
    throw invalidState(`Submission ${submission.submissionId} has been submitted and is locked.`);
  }
  if (submission.status !== expected) {
    throw invalidState(`Only a submission in ${expected} can be ${action}; this one is in ${submission.status}.`);
  }
}

function openSubmission({ data }: OpenSubmission, state: SubmissionState): SubmissionOpened[] {
  requireRole(data.actor, ['drafter'], 'open a submission');
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
  requireRole(data.actor, ['drafter'], 'send a submission for approval');
  requireStatus(submission, 'drafting', 'sent for approval');
  return [{ type: 'SubmissionSentForApproval', data: { submissionId: submission.submissionId } }];
}

function validProposalRevisions(value: unknown): ProposalRevision[] {
  const entries = Array.isArray(value) ? (value as ProposalRevision[]) : undefined;
  const valid =
    entries?.every(
      (entry) =>
        typeof entry?.proposalId === 'string' &&
        entry.proposalId !== '' &&
        Number.isInteger(entry.revision) &&
        entry.revision >= 0,
    ) && new Set(entries.map((entry) => entry.proposalId)).size === entries.length;
  if (!entries || !valid) {
    throw invalid('proposalRevisions must list each proposal once, with a revision that is a whole number of 0 or more.');
  }
  return entries.map(({ proposalId, revision }) => ({ proposalId, revision }));
}

function approveSubmission({ data }: ApproveSubmission, state: SubmissionState): SubmissionApproved[] {
  const submission = requireOpened(state, data.submissionId);
  requireRole(data.actor, ['chair'], 'approve a submission');
  requireStatus(submission, 'review', 'approved');
  return [
    {
      type: 'SubmissionApproved',
      data: { submissionId: submission.submissionId, proposalRevisions: validProposalRevisions(data.proposalRevisions) },
    },
  ];
}

function lockSubmission({ data }: LockSubmission, state: SubmissionState): SubmissionLocked[] {
  const submission = requireOpened(state, data.submissionId);
  requireRole(data.actor, ['chair', 'admin'], 'lock a submission');
  requireStatus(submission, 'approved', 'locked');
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
