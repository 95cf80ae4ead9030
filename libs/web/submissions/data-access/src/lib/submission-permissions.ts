import type { Role, SubmissionStatus } from '@concord/contracts';
import { type AccessAction, isAllowed } from '@concord/domain';

/** The life-cycle steps of a submission the UI offers; each exactly when the server's access policy allows it. */
export interface SubmissionPermissions {
  /** A drafter sends a submission in drafting to the chair. */
  canSendForApproval: boolean;
  /** A chair approves a submission in review (the server still checks every proposal's approval). */
  canApprove: boolean;
  /** A chair (or an administrator) locks an approved submission: submitted, nothing changes after. */
  canLock: boolean;
  /** A chair circulates a submission in drafting or review under silence, or withdraws the procedure. */
  canRunSilence: boolean;
  /** A member state's focal point (delegate) breaks silence on the submission. */
  canObjectToSilence: boolean;
}

export const NO_SUBMISSION_PERMISSIONS: SubmissionPermissions = {
  canSendForApproval: false,
  canApprove: false,
  canLock: false,
  canRunSilence: false,
  canObjectToSilence: false,
};

/**
 * What the submission page offers: what `decideAccess` of `@concord/domain` (the server's own
 * policy) allows for these roles in this status. `roles` are the caller's roles in the submission's
 * workspace; a platform administrator counts as an `admin` of every workspace, as on the server.
 */
export function submissionPermissions(status: SubmissionStatus, roles: readonly Role[], isPlatformAdmin = false): SubmissionPermissions {
  const policyRoles = isPlatformAdmin && !roles.includes('admin') ? [...roles, 'admin' as const] : roles;
  const may = (action: AccessAction) => isAllowed({ roles: policyRoles, action, submissionStatus: status });
  return {
    canSendForApproval: may('send-submission-for-approval'),
    canApprove: may('approve-submission'),
    canLock: may('lock-submission'),
    canRunSilence: may('start-submission-silence') && status !== 'approved',
    canObjectToSilence: may('object-to-submission-silence'),
  };
}

/** Whether these roles may open a submission in a workspace. */
export function canOpenSubmission(roles: readonly Role[]): boolean {
  return isAllowed({ roles, action: 'open-submission', submissionStatus: null });
}
