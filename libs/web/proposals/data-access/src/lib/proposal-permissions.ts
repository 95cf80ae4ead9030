import type { ProposalStatus, Role, SubmissionStatus } from '@concord/contracts';
import { type AccessAction, isAllowed } from '@concord/domain';

export interface ProposalPermissions {
  /** A drafter sends the proposal to the chair (again, once approved text has changed). */
  canSendForReview: boolean;
  /** A chair approves a revision in review, or asks for changes. */
  canReview: boolean;
  /** A drafter withdraws a proposal of a submission that is not locked. */
  canWithdraw: boolean;
  /** A drafter edits the text while the proposal is open; everyone else reads it. */
  canEdit: boolean;
  /** A drafter restores an earlier revision as a new one. */
  canRestore: boolean;
  /** Drafters and chairs put a label on a revision. */
  canNameVersion: boolean;
  /** Comment on words of the text, reply, resolve (while the text is open). */
  canComment: boolean;
  /** Suggest changes to the text (a delegate: always in suggestion mode). */
  canSuggest: boolean;
  /** A chair starts or withdraws a silence procedure (whether one runs is for the page to see). */
  canRunSilence: boolean;
  /** A delegate (a member state's focal point) breaks silence. */
  canObjectToSilence: boolean;
  /** A delegate co-sponsors the proposal for their member state, or withdraws it. */
  canCoSponsor: boolean;
}

export const NO_PERMISSIONS: ProposalPermissions = {
  canSendForReview: false,
  canReview: false,
  canWithdraw: false,
  canEdit: false,
  canRestore: false,
  canNameVersion: false,
  canComment: false,
  canSuggest: false,
  canRunSilence: false,
  canObjectToSilence: false,
  canCoSponsor: false,
};

/**
 * What the UI offers: exactly what the server's access policy (`decideAccess` of `@concord/domain`,
 * which the server's deciders and co-editing socket use) would allow, nothing more.
 */
export function proposalPermissions(
  status: ProposalStatus,
  roles: readonly Role[],
  submissionStatus: SubmissionStatus | null | undefined,
): ProposalPermissions {
  const may = (action: AccessAction) => isAllowed({ roles, action, proposalStatus: status, submissionStatus });
  return {
    canSendForReview: may('send-for-review'),
    canReview: may('approve') && may('request-changes'),
    canWithdraw: may('withdraw'),
    canEdit: may('edit-content'),
    canRestore: may('restore'),
    canNameVersion: may('name-version'),
    canComment: may('comment'),
    canSuggest: may('suggest'),
    canRunSilence: may('start-silence') && may('void-silence'),
    canObjectToSilence: may('object-to-silence'),
    canCoSponsor: may('co-sponsor') && may('withdraw-co-sponsorship'),
  };
}
