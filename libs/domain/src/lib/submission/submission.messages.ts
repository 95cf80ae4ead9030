import type { ProposalStatus } from '@concord/contracts';
import type { Actor } from '../shared/actor';
import type { Command, Event } from '../shared/decider';

export interface ProposalRevision {
  proposalId: string;
  revision: number;
}

/** `actor.roles` are the actor's roles in workspace `iscmId`. */
export type OpenSubmission = Command<
  'OpenSubmission',
  { submissionId: string; iscmId: string; consultation: string; title: string; dueDate: string; actor: Actor }
>;
/** In the commands below, `actor.roles` are the actor's roles in the submission's workspace. */
export type SendSubmissionForApproval = Command<'SendSubmissionForApproval', { submissionId: string; actor: Actor }>;
/**
 * One proposal of a submission as it stands when the chair approves the submission, gathered by the
 * handler at decision time from the proposal's stream and its text.
 */
export interface ProposalApprovalState {
  proposalId: string;
  title: string;
  status: ProposalStatus;
  /** The newest revision of its text: the one the submission is approved with. */
  revision: number;
  /** The chair's approval binds this very text: the content hash at `revision` equals the approved one. */
  approvalCurrent: boolean;
}

/** `proposals`: every proposal of the submission, withdrawn ones included (they are left out). */
export type ApproveSubmission = Command<
  'ApproveSubmission',
  { submissionId: string; proposals: readonly ProposalApprovalState[]; actor: Actor }
>;
export type LockSubmission = Command<'LockSubmission', { submissionId: string; actor: Actor }>;
export type SubmissionCommand = OpenSubmission | SendSubmissionForApproval | ApproveSubmission | LockSubmission;

export type SubmissionOpened = Event<
  'SubmissionOpened',
  { submissionId: string; iscmId: string; consultation: string; title: string; dueDate: string }
>;
export type SubmissionSentForApproval = Event<'SubmissionSentForApproval', { submissionId: string }>;
export type SubmissionApproved = Event<
  'SubmissionApproved',
  { submissionId: string; proposalRevisions: readonly ProposalRevision[] }
>;
export type SubmissionLocked = Event<'SubmissionLocked', { submissionId: string }>;
export type SubmissionEvent = SubmissionOpened | SubmissionSentForApproval | SubmissionApproved | SubmissionLocked;
