import type { ProposalStatus, Role, SubmissionStatus } from '@concord/contracts';

const PROPOSAL_STATUS_LABELS: Record<ProposalStatus, string> = {
  draft: $localize`:@@status.proposal.draft:Draft`,
  in_review: $localize`:@@status.proposal.inReview:In review`,
  approved: $localize`:@@status.proposal.approved:Approved`,
  changes_requested: $localize`:@@status.proposal.changesRequested:Changes requested`,
  withdrawn: $localize`:@@status.proposal.withdrawn:Withdrawn`,
};

const SUBMISSION_STATUS_LABELS: Record<SubmissionStatus, string> = {
  drafting: $localize`:@@status.submission.drafting:Drafting`,
  review: $localize`:@@status.submission.review:In review`,
  approved: $localize`:@@status.submission.approved:Approved`,
  submitted: $localize`:@@status.submission.submitted:Submitted`,
};

const ROLE_LABELS: Record<Role, string> = {
  drafter: $localize`:@@role.drafter:Drafter`,
  chair: $localize`:@@role.chair:Chair`,
  auditor: $localize`:@@role.auditor:Auditor`,
  admin: $localize`:@@role.admin:Admin`,
  delegate: $localize`:@@role.delegate:Delegate`,
};

export function proposalStatusLabel(status: ProposalStatus): string {
  return PROPOSAL_STATUS_LABELS[status] ?? status;
}

export function submissionStatusLabel(status: SubmissionStatus): string {
  return SUBMISSION_STATUS_LABELS[status] ?? status;
}

export function roleLabel(role: Role): string {
  return ROLE_LABELS[role] ?? role;
}

export function isProposalStatus(status: string): status is ProposalStatus {
  return status in PROPOSAL_STATUS_LABELS;
}

export function statusLabel(status: ProposalStatus | SubmissionStatus): string {
  return isProposalStatus(status) ? proposalStatusLabel(status) : submissionStatusLabel(status);
}
