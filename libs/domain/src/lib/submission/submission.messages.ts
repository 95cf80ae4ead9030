import type { ProposalStatus } from '@concord/contracts';
import type { Actor } from '../shared/actor';
import type { Command, Event } from '../shared/decider';

export interface ProposalRevision {
  proposalId: string;
  revision: number;
}

/**
 * `actor.roles` are the actor's roles in workspace `iscmId`. `consultationId`, when given, names a GCM
 * consultation of the reference data; the handler looks it up and passes its guiding questions' ids
 * in `sectionIdsOfConsultation` — absent when the reference data does not know it — so that the
 * domain reads no reference files.
 */
export type OpenSubmission = Command<
  'OpenSubmission',
  {
    submissionId: string;
    iscmId: string;
    consultation: string;
    title: string;
    dueDate: string;
    consultationId?: string;
    sectionIdsOfConsultation?: readonly string[];
    actor: Actor;
  }
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

/**
 * Put a proposal of the submission at `index` (0-based) of a section: `sectionId` is the id of one
 * of the consultation's guiding questions, or null for "Other contributions". The handler knows
 * whether the proposal belongs to the submission (`proposalInSubmission`) and passes the question
 * ids of the submission's consultation (`sectionIdsOfConsultation`, empty when it names none).
 */
export type PlaceProposal = Command<
  'PlaceProposal',
  {
    submissionId: string;
    proposalId: string;
    sectionId: string | null;
    index: number;
    proposalInSubmission: boolean;
    sectionIdsOfConsultation: readonly string[];
    actor: Actor;
  }
>;

/**
 * Give a guiding question's section its introduction: the proposal `proposalId` (of kind
 * `introduction`, created by the handler right after this is recorded). A section has at most one;
 * "Other contributions" (`sectionId` null) has none. `sectionIdsOfConsultation` as for PlaceProposal.
 */
export type AddSectionIntroduction = Command<
  'AddSectionIntroduction',
  {
    submissionId: string;
    sectionId: string | null;
    proposalId: string;
    sectionIdsOfConsultation: readonly string[];
    actor: Actor;
  }
>;

export type SubmissionCommand =
  | OpenSubmission
  | SendSubmissionForApproval
  | ApproveSubmission
  | LockSubmission
  | PlaceProposal
  | AddSectionIntroduction;

/** `consultationId` (a consultation of the reference data) is there only when the submission names one. */
export type SubmissionOpened = Event<
  'SubmissionOpened',
  { submissionId: string; iscmId: string; consultation: string; title: string; dueDate: string; consultationId?: string }
>;
export type SubmissionSentForApproval = Event<'SubmissionSentForApproval', { submissionId: string }>;
export type SubmissionApproved = Event<
  'SubmissionApproved',
  { submissionId: string; proposalRevisions: readonly ProposalRevision[] }
>;
export type SubmissionLocked = Event<'SubmissionLocked', { submissionId: string }>;
/**
 * The proposal now stands at `index` of section `sectionId` (null: "Other contributions"); the
 * proposals after it there move down one. An index past the end puts it last.
 */
export type ProposalPlaced = Event<
  'ProposalPlaced',
  { submissionId: string; proposalId: string; sectionId: string | null; index: number }
>;

/**
 * Proposal `proposalId` is the introduction of section `sectionId` (a question id): it comes first in
 * that section, is never placed, and the section takes no other introduction. Recorded before the
 * proposal's own ProposalCreated (kind `introduction`), so two drafters racing for one section
 * conflict on this stream and only one introduction is created.
 */
export type SectionIntroductionAdded = Event<
  'SectionIntroductionAdded',
  { submissionId: string; sectionId: string; proposalId: string }
>;

export type SubmissionEvent =
  | SubmissionOpened
  | SubmissionSentForApproval
  | SubmissionApproved
  | SubmissionLocked
  | ProposalPlaced
  | SectionIntroductionAdded;
