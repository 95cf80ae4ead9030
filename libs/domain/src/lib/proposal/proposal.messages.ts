import type { SubmissionStatus } from '@concord/contracts';
import type { Actor } from '../shared/actor';
import type { Command, Event } from '../shared/decider';
import type { ApprovalRule } from '../workspace/workspace.messages';

export interface ProposalDetails {
  title: string;
  /** A practical approach type id (practical-approach-types.json); the handler checks it is listed. */
  kind: string;
  /** GCM objective numbers 1..23, unique, ascending in events. */
  gcmObjectives: readonly number[];
  summary: string;
}

/**
 * Facts every proposal command carries, looked up by the handler: `actor.roles` are the actor's roles
 * in the proposal's workspace, `submissionStatus` the status of the submission it belongs to (for
 * CreateProposal, the submission it is created in).
 */
interface ProposalContext {
  proposalId: string;
  actor: Actor;
  submissionStatus: SubmissionStatus;
}

/** `currentRevision` is the newest revision of the proposal's content stream. */
interface RevisionContext extends ProposalContext {
  currentRevision: number;
}

/** The file a proposal's first text was imported from (`POST /api/submissions/<id>/proposals/import`). */
export interface ImportedFile {
  filename: string;
  bytes: number;
  /** sha256 of the file, lower-case hex. */
  sha256: string;
}
/**
 * `introductionOf` is set (to the section's question id) only by the handler that has just recorded
 * SectionIntroductionAdded for this proposal: kind `introduction` needs it, and such a proposal may
 * name no GCM objective.
 */
export type CreateProposal = Command<
  'CreateProposal',
  ProposalContext & ProposalDetails & { submissionId: string; iscmId: string; importedFrom?: ImportedFile; introductionOf?: string }
>;
/** Changes the details given; the others stay as they are. */
export type ChangeProposalDetails = Command<'ChangeProposalDetails', ProposalContext & Partial<ProposalDetails>>;
export type SendForReview = Command<'SendForReview', RevisionContext & { revision: number; contentHash: string }>;
/**
 * What is still open in the review of the revision being approved: suggestions in its text, comment
 * threads not resolved. `required` is the workspace's review policy (ReviewPolicyChanged): when
 * true, approval needs both at zero. Absent: the policy is off (nothing was counted).
 */
export interface OpenReview {
  readonly required: boolean;
  readonly suggestions: number;
  readonly threads: number;
}
/**
 * `approvalRule` is the workspace's approval rule as it stands now (ApprovalRuleChanged), looked up
 * by the handler: absent or null, any one chair approves (ProposalApproved at once); otherwise the
 * actor must be one of its approvers, their approval is recorded (ApprovalGiven) and the proposal
 * is approved once `required` approvers have approved the same revision and content hash.
 */
export type ApproveProposal = Command<
  'ApproveProposal',
  RevisionContext & { revision: number; contentHash: string; comment?: string; openReview?: OpenReview; approvalRule?: ApprovalRule | null }
>;
export type RequestChanges = Command<'RequestChanges', RevisionContext & { revision: number; comment: string }>;
export type NameVersion = Command<'NameVersion', RevisionContext & { revision: number; label: string }>;
/**
 * Decided before the restoring update is appended: `newRevision` is the revision that update will
 * have, so it must be `currentRevision + 1` (the handler appends it expecting `currentRevision`).
 */
export type RestoreRevision = Command<'RestoreRevision', RevisionContext & { fromRevision: number; newRevision: number }>;
export type WithdrawProposal = Command<'WithdrawProposal', ProposalContext>;

/** The bounds of a silence procedure's deadline, measured from `now`. */
export { SILENCE_MAX_LEAD_MS, SILENCE_MIN_LEAD_MS } from '../shared/silence-deadline';

/**
 * A chair circulates `revision` (which must be the current revision: the text circulated is the
 * text frozen) to the member states' focal points until `deadline` (ISO date-time). `now` is the
 * handler's clock; `minLeadMs` the shortest lead it allows (SILENCE_MIN_LEAD_MS unless configured).
 * `silenceId` names the procedure (and the write fence that freezes the text).
 */
export type StartSilence = Command<
  'StartSilence',
  RevisionContext & { silenceId: string; revision: number; contentHash: string; deadline: string; now: string; minLeadMs?: number }
>;
/** A delegate breaks silence for `memberState` (their member state in the workspace, looked up by the handler). */
export type ObjectToSilence = Command<'ObjectToSilence', ProposalContext & { reason: string; memberState: string | null; now: string }>;
/** A chair withdraws the running silence. */
export type VoidSilence = Command<'VoidSilence', ProposalContext & { reason?: string | null; now: string }>;
/** Decided by the silence deadline service of any node, once `now` has reached the deadline; no actor. */
export type AdoptSilence = Command<'AdoptSilence', { proposalId: string; silenceId: string; now: string }>;

/**
 * Co-sponsorship (issue 14 §4): a delegate endorses the proposal for `memberState`, their member
 * state in the workspace (looked up by the handler; null when they represent none), at the current
 * revision.
 */
export type CoSponsorProposal = Command<'CoSponsorProposal', RevisionContext & { memberState: string | null }>;
/** A delegate of `memberState` withdraws its co-sponsorship; `actorMemberState` is the one they represent (looked up by the handler). */
export type WithdrawCoSponsorship = Command<'WithdrawCoSponsorship', ProposalContext & { memberState: string; actorMemberState: string | null }>;

export type ProposalCommand =
  | CreateProposal
  | ChangeProposalDetails
  | SendForReview
  | ApproveProposal
  | RequestChanges
  | NameVersion
  | RestoreRevision
  | WithdrawProposal
  | StartSilence
  | ObjectToSilence
  | VoidSilence
  | AdoptSilence
  | CoSponsorProposal
  | WithdrawCoSponsorship;

export type ProposalCreated = Event<
  'ProposalCreated',
  ProposalDetails & { proposalId: string; submissionId: string; iscmId: string }
>;
/** Holds only the details that changed. */
export type ProposalDetailsChanged = Event<'ProposalDetailsChanged', Partial<ProposalDetails> & { proposalId: string }>;
export type ProposalSentForReview = Event<
  'ProposalSentForReview',
  { proposalId: string; revision: number; contentHash: string }
>;
export type ProposalApproved = Event<
  'ProposalApproved',
  { proposalId: string; revision: number; contentHash: string; comment: string | null }
>;
/**
 * One approver's approval of `revision` (whose text hashes to `contentHash`) under the workspace's
 * approval rule, which the event repeats as it was when it was given (`approvers`, `required`).
 * When it meets the rule, ProposalApproved follows in the same append.
 */
export type ApprovalGiven = Event<
  'ApprovalGiven',
  { proposalId: string; revision: number; contentHash: string; approverId: string; comment: string | null; approvers: string[]; required: number }
>;
export type ChangesRequested = Event<'ChangesRequested', { proposalId: string; revision: number; comment: string }>;
export type VersionNamed = Event<'VersionNamed', { proposalId: string; revision: number; label: string }>;
export type ProposalRestored = Event<
  'ProposalRestored',
  { proposalId: string; fromRevision: number; newRevision: number }
>;
export type ProposalWithdrawn = Event<'ProposalWithdrawn', { proposalId: string }>;
/** The proposal's first text was imported from a Word file (recorded with ProposalCreated, before that text). */
export type ProposalImported = Event<'ProposalImported', ImportedFile & { proposalId: string }>;
/** A silence procedure on `revision` (whose text hashes to `contentHash`) runs until `deadline`. */
export type SilenceStarted = Event<
  'SilenceStarted',
  { proposalId: string; silenceId: string; revision: number; contentHash: string; deadline: string; startedBy: string }
>;
export type SilenceBroken = Event<
  'SilenceBroken',
  { proposalId: string; silenceId: string; objectionBy: string; memberState: string; reason: string }
>;
/** No objection by the deadline: the revision is adopted (it counts as approved, like ProposalApproved). */
export type SilenceAdopted = Event<
  'SilenceAdopted',
  { proposalId: string; silenceId: string; revision: number; contentHash: string; deadline: string }
>;
export type SilenceVoided = Event<'SilenceVoided', { proposalId: string; silenceId: string; by: string; reason: string | null }>;
export type SilenceEvent = SilenceStarted | SilenceBroken | SilenceAdopted | SilenceVoided;

/** `memberState` (ISO 3166-1 alpha-2) co-sponsors the proposal, endorsed by its delegate `by` at content revision `revision`. */
export type ProposalCoSponsored = Event<'ProposalCoSponsored', { proposalId: string; memberState: string; by: string; revision: number }>;
export type ProposalCoSponsorshipWithdrawn = Event<'ProposalCoSponsorshipWithdrawn', { proposalId: string; memberState: string; by: string }>;
export type CoSponsorshipEvent = ProposalCoSponsored | ProposalCoSponsorshipWithdrawn;

export type ProposalEvent =
  | ProposalCreated
  | ProposalDetailsChanged
  | ProposalSentForReview
  | ProposalApproved
  | ApprovalGiven
  | ChangesRequested
  | VersionNamed
  | ProposalRestored
  | ProposalWithdrawn
  | ProposalImported
  | SilenceEvent
  | CoSponsorshipEvent;
