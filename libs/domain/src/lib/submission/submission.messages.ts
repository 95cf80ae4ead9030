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

/** One text circulated with a submission under silence: the proposal's revision and its content hash. */
export interface CirculatedText {
  proposalId: string;
  revision: number;
  contentHash: string;
}

/**
 * A chair circulates the whole submission under silence until `deadline`: every proposal still in
 * it (`texts`, gathered by the handler: each one's current revision and content hash) is frozen
 * until the procedure ends. `proposalSilences` names the proposals (by title) that run a silence
 * procedure of their own, which must end first. `now` is the handler's clock, `minLeadMs` as for
 * a proposal's silence.
 */
export type StartSubmissionSilence = Command<
  'StartSubmissionSilence',
  {
    submissionId: string;
    silenceId: string;
    deadline: string;
    texts: readonly CirculatedText[];
    proposalSilences: readonly string[];
    now: string;
    minLeadMs?: number;
    actor: Actor;
  }
>;
/** A member state's focal point (`memberState`, looked up by the handler) breaks silence on the submission. */
export type ObjectToSubmissionSilence = Command<
  'ObjectToSubmissionSilence',
  { submissionId: string; reason: string; memberState: string | null; now: string; actor: Actor }
>;
/** A chair withdraws the submission's running silence procedure. */
export type VoidSubmissionSilence = Command<
  'VoidSubmissionSilence',
  { submissionId: string; reason?: string | null; now: string; actor: Actor }
>;
/** Decided by the silence deadline service of any node once `now` has reached the deadline; no actor. */
export type AdoptSubmissionSilence = Command<'AdoptSubmissionSilence', { submissionId: string; silenceId: string; now: string }>;

export type SubmissionCommand =
  | OpenSubmission
  | SendSubmissionForApproval
  | ApproveSubmission
  | LockSubmission
  | PlaceProposal
  | AddSectionIntroduction
  | StartSubmissionSilence
  | ObjectToSubmissionSilence
  | VoidSubmissionSilence
  | AdoptSubmissionSilence;

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

/** The submission is circulated under silence: `texts` are frozen until it ends. */
export type SubmissionSilenceStarted = Event<
  'SubmissionSilenceStarted',
  { submissionId: string; silenceId: string; texts: readonly CirculatedText[]; deadline: string; startedBy: string }
>;
/** The first objection breaks silence; `proposalIds` are the texts it unfreezes. */
export type SubmissionSilenceBroken = Event<
  'SubmissionSilenceBroken',
  { submissionId: string; silenceId: string; proposalIds: readonly string[]; objectionBy: string; memberState: string; reason: string }
>;
export type SubmissionSilenceVoided = Event<
  'SubmissionSilenceVoided',
  { submissionId: string; silenceId: string; proposalIds: readonly string[]; by: string; reason: string | null }
>;
/**
 * No objection by the deadline: the submission is adopted with exactly the texts circulated — it
 * counts as the chair's approval of the submission and of each of those texts.
 */
export type SubmissionSilenceAdopted = Event<
  'SubmissionSilenceAdopted',
  { submissionId: string; silenceId: string; texts: readonly CirculatedText[]; proposalIds: readonly string[]; deadline: string }
>;

export type SubmissionEvent =
  | SubmissionOpened
  | SubmissionSentForApproval
  | SubmissionApproved
  | SubmissionLocked
  | ProposalPlaced
  | SectionIntroductionAdded
  | SubmissionSilenceStarted
  | SubmissionSilenceBroken
  | SubmissionSilenceVoided
  | SubmissionSilenceAdopted;
