/**
 * Approval by several chairs (issue 14 §2): a workspace's approval rule and how far a proposal's
 * approval has come under it.
 */

/** A chair named in the approval rule, as the workspace shows them. */
export interface ApproverDto {
  userId: string;
  name: string;
}

/**
 * The workspace's approval rule (ApprovalRuleChanged): `required` of the `approvers` must approve
 * the same revision and content hash. Null where no rule is set: any one chair approves.
 */
export interface ApprovalRuleDto {
  approvers: ApproverDto[];
  required: number;
}

/**
 * `PUT /api/workspaces/<id>/approval-rule` (workspace or platform administrators): `approvers` are
 * user ids of chairs of the workspace, 1 ≤ `required` ≤ their number; `approvers: []` goes back to
 * "any one chair" (`required` is then not needed). 204; 400 with the reason; 403; 409 when nothing changes.
 */
export interface ApprovalRuleRequest {
  approvers: string[];
  required?: number;
}

/** One approver's approval (ApprovalGiven). */
export interface GivenApprovalDto {
  userId: string;
  name: string;
  at: string;
  comment: string | null;
}

/** The approvals given for one revision and content hash: only those count together. */
export interface ApprovalRoundDto {
  revision: number;
  contentHash: string;
  given: GivenApprovalDto[];
}

/** `ProposalDetailDto.approvals`: the rule the proposal's workspace approves by, and the approvals under it. */
export interface ProposalApprovalsDto {
  /** The workspace's rule now; null: any one chair approves. */
  rule: ApprovalRuleDto | null;
  /**
   * Rounds not (yet) complete since the proposal was last sent for review, newest first — usually
   * one; two when approvers approved different revisions. Emptied by a request for changes (sent
   * back), by the approval, by a silence adoption and by a withdrawal.
   */
  pending: ApprovalRoundDto[];
  /** The round that made the current approval (`ProposalDetailDto.approval`), when it was given under a rule. */
  completed: ApprovalRoundDto | null;
}
