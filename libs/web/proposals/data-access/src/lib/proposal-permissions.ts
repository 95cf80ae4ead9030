import type { ProposalStatus, Role } from '@concord/contracts';

export interface ProposalPermissions {
  /** A drafter sends a draft (or one whose changes were requested) to the chair. */
  canSendForReview: boolean;
  /** A chair approves a revision in review, or asks for changes. */
  canReview: boolean;
  /** A drafter withdraws a proposal that is not yet approved. */
  canWithdraw: boolean;
  /** A drafter edits the text while the proposal is not withdrawn; everyone else reads it. */
  canEdit: boolean;
  /** A drafter restores an earlier revision as a new one. */
  canRestore: boolean;
  /** Drafters and chairs put a label on a revision. */
  canNameVersion: boolean;
}

export const NO_PERMISSIONS: ProposalPermissions = {
  canSendForReview: false,
  canReview: false,
  canWithdraw: false,
  canEdit: false,
  canRestore: false,
  canNameVersion: false,
};

/**
 * What the UI offers; the server decides. Kept in one place so the buttons and the server rules
 * are easy to compare.
 */
export function proposalPermissions(status: ProposalStatus, roles: readonly Role[]): ProposalPermissions {
  const drafter = roles.includes('drafter');
  const chair = roles.includes('chair');
  return {
    canSendForReview: drafter && (status === 'draft' || status === 'changes_requested'),
    canReview: chair && status === 'in_review',
    canWithdraw: drafter && (status === 'draft' || status === 'changes_requested' || status === 'in_review'),
    canEdit: drafter && status !== 'withdrawn',
    canRestore: drafter && status !== 'withdrawn',
    canNameVersion: (drafter || chair) && status !== 'withdrawn',
  };
}
