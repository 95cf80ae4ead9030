import type { SilenceObjectionDto, SilenceStatus } from './proposal.contracts';

export const SUBMISSION_STATUSES = ['drafting', 'review', 'approved', 'submitted'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

export interface SubmissionDto {
  id: string;
  iscmId: string;
  consultation: string;
  title: string;
  /** ISO date (yyyy-mm-dd). */
  dueDate: string;
  status: SubmissionStatus;
  /** Practical approach proposals by status; section introductions are not counted (see `sections[].introductionId`). */
  proposalCounts: Partial<Record<string, number>>;
  /** The GCM consultation of the reference data it is written for (`GET /api/consultations`), or null. */
  consultationId: string | null;
  /**
   * The submission as its sections: one per guiding question of the consultation, numbered 1..n in
   * question order, then "Other contributions" (`id` null, number n + 1) holding the proposals placed
   * there and those never placed (in creation order). Proposals in their order within each section.
   */
  sections: SubmissionSectionDto[];
  /** The latest silence procedure on the whole submission (`POST /api/submissions/<id>/silence`), or null. */
  silence: SubmissionSilenceDto | null;
}

/**
 * The whole submission circulated under silence: every proposal still in it, each at the revision
 * circulated (frozen while it runs); adopted at the deadline unless a member state objects.
 */
export interface SubmissionSilenceDto {
  status: SilenceStatus;
  /** ISO date-time, UTC. */
  deadline: string;
  texts: { proposalId: string; title: string; revision: number; contentHash: string }[];
  startedBy: string;
  startedAt: string;
  objections: SilenceObjectionDto[];
  endedAt: string | null;
  voidedBy: string | null;
  voidReason: string | null;
}

/** `POST /api/submissions/<id>/silence` */
export interface StartSubmissionSilenceRequest {
  deadline: string;
}

/** The title of the last section of every submission, which has no question. */
export const OTHER_CONTRIBUTIONS = 'Other contributions';

export interface SubmissionSectionDto {
  /** The question's id (e.g. `q3`), or null for "Other contributions". */
  id: string | null;
  number: number;
  question: string;
  /** The proposals of the section, in order; its introduction is not among them. */
  proposalIds: string[];
  /**
   * The section's introduction: a proposal of kind `introduction` (co-edited, reviewed and approved like
   * any other) that comes first in the section, or null. "Other contributions" never has one.
   */
  introductionId: string | null;
}

export interface OpenSubmissionRequest {
  iscmId: string;
  /** Free text naming the consultation; may be left out when `consultationId` is given (its title is used). */
  consultation?: string;
  /** A consultation of `GET /api/consultations`; its guiding questions become the submission's sections. */
  consultationId?: string;
  title: string;
  dueDate: string;
}

/** `POST /api/submissions/:id/placements`: put a proposal at `index` (0-based) of a section (null: "Other contributions"). */
export interface PlaceProposalRequest {
  proposalId: string;
  sectionId: string | null;
  index: number;
}

export interface ConsultationQuestionDto {
  id: string;
  question: string;
}

/** A GCM consultation from the reference data (`GET /api/consultations`). */
export interface ConsultationDto {
  id: string;
  number: number;
  title: string;
  theme: string;
  venue: string;
  startDate: string;
  endDate: string;
  questions: ConsultationQuestionDto[];
}
