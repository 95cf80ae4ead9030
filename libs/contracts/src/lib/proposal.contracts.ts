import type { SubmissionStatus } from './submission.contracts';
import type { ProposalApprovalsDto } from './approval.contracts';

export const PROPOSAL_STATUSES = ['draft', 'in_review', 'approved', 'changes_requested', 'withdrawn'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/**
 * The kind of a section's introduction: a proposal like the others (co-edited, reviewed, approved,
 * exported), created only by `POST /api/submissions/:id/sections/:sectionId/introduction`, which
 * answers it as a `ProposalDetailDto` (201). It is no practical approach type.
 */
export const INTRODUCTION_KIND = 'introduction';

/** One row of `GET /api/proposals` (ARCHITECTURE §6). */
export interface ProposalSummaryDto {
  id: string;
  title: string;
  /**
   * A practical approach type id from practical-approach-types.json, e.g. "policy" — or `introduction`
   * (`INTRODUCTION_KIND`) for a section's introduction, which only that route creates.
   */
  kind: string;
  status: ProposalStatus;
  submissionId: string;
  iscmId: string;
  gcmObjectives: number[];
  currentRevision: number;
  approvedRevision: number | null;
  approvalStale: boolean;
  /** The member states co-sponsoring the proposal (ISO 3166-1 alpha-2 codes, alphabetical). */
  coSponsorStates: string[];
}

export interface ProposalDetailDto extends ProposalSummaryDto {
  /** The status of the submission the proposal belongs to (what may be done with it depends on it too). */
  submissionStatus: SubmissionStatus;
  summary: string;
  createdAt: string;
  createdBy: string;
  reviewRevision: number | null;
  approval: ApprovalDto | null;
  changeRequests: ChangeRequestDto[];
  versions: NamedVersionDto[];
  /** The latest silence procedure on the proposal, or null when none was started. */
  silence: SilenceDto | null;
  /** While the whole submission is circulated under silence (its text frozen): until when, at which revision. */
  submissionSilence: { deadline: string; revision: number } | null;
  /** Approval by several chairs: the workspace's rule and the approvals given under it (always sent by the server). */
  approvals?: ProposalApprovalsDto;
  /** The member states co-sponsoring the proposal, in the order they endorsed it (issue 14 §4). */
  coSponsors: CoSponsorDto[];
}

/** A member state co-sponsoring a proposal (`POST /api/proposals/<id>/co-sponsors`, by one of its delegates). */
export interface CoSponsorDto {
  /** ISO 3166-1 alpha-2 code. */
  memberState: string;
  /** The member state's name in the workspace's reference data (the code when it lists none). */
  memberStateName: string;
  /** The delegate who endorsed it, and their name as the workspace shows it. */
  by: string;
  byName: string;
  at: string;
  /** The content revision current when it was endorsed. */
  revision: number;
}

export type SilenceStatus = 'running' | 'broken' | 'adopted' | 'void';

/** A silence procedure (`POST /api/proposals/<id>/silence`): the revision circulated until the deadline. */
export interface SilenceDto {
  status: SilenceStatus;
  /** ISO date-time, UTC. */
  deadline: string;
  revision: number;
  contentHash: string;
  startedBy: string;
  startedAt: string;
  objections: SilenceObjectionDto[];
  /** Set once it ends: when it was broken, adopted or withdrawn, and (for a withdrawal) by whom and why. */
  endedAt: string | null;
  voidedBy: string | null;
  voidReason: string | null;
}

export interface SilenceObjectionDto {
  by: string;
  /** ISO 3166-1 alpha-2 code of the member state the delegate speaks for. */
  memberState: string;
  reason: string;
  at: string;
}

/** `POST /api/proposals/<id>/silence` */
export interface StartSilenceRequest {
  revision: number;
  deadline: string;
}

/** `POST /api/submissions/<id>/proposals/import?title=&kind=&gcmObjectives=1,2&filename=` with the DOCX as the body. */
export interface ProposalImportDto {
  proposal: ProposalDetailDto;
  /** The file as the log records it (ProposalImported). */
  file: { filename: string; bytes: number; sha256: string };
  /** What the editor cannot hold and was left out, counted: images, tables (their text is kept), links that were not http/https/mailto, rules… */
  dropped: Record<string, number>;
}

export interface ApprovalDto {
  revision: number;
  contentHash: string;
  comment: string | null;
  approvedBy: string;
  at: string;
}

export interface ChangeRequestDto {
  revision: number;
  comment: string;
  requestedBy: string;
  at: string;
}

export interface NamedVersionDto {
  revision: number;
  label: string;
  namedBy: string;
  at: string;
}

export interface CreateProposalRequest {
  submissionId: string;
  title: string;
  kind: string;
  gcmObjectives: number[];
  summary?: string;
}

export interface ChangeProposalDetailsRequest {
  title?: string;
  kind?: string;
  gcmObjectives?: number[];
  summary?: string;
}

export interface RevisionRequest {
  revision: number;
}

export interface ApproveRequest {
  revision: number;
  comment?: string;
}

export interface RequestChangesRequest {
  revision: number;
  comment: string;
}

export interface NameVersionRequest {
  revision: number;
  label: string;
}
