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
  proposalCounts: Partial<Record<string, number>>;
}

export interface OpenSubmissionRequest {
  iscmId: string;
  consultation: string;
  title: string;
  dueDate: string;
}
