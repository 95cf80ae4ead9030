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
/** `proposalRevisions`: the revision of each proposal the chair approves the submission with. */
export type ApproveSubmission = Command<
  'ApproveSubmission',
  { submissionId: string; proposalRevisions: readonly ProposalRevision[]; actor: Actor }
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
