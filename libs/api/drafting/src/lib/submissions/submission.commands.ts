import { Command } from '@nestjs/cqrs';
import type { Principal } from '@concord/api/platform';

export type SubmissionAction =
  | {
      type: 'OpenSubmission';
      iscmId: string;
      consultation?: string;
      consultationId?: string;
      title: string;
      dueDate: string;
      submissionId?: string;
    }
  | { type: 'PlaceProposal'; submissionId: string; proposalId: string; sectionId: string | null; index: number }
  | { type: 'SendSubmissionForApproval'; submissionId: string }
  | { type: 'ApproveSubmission'; submissionId: string }
  | { type: 'LockSubmission'; submissionId: string }
  | { type: 'StartSubmissionSilence'; submissionId: string; deadline: string }
  | { type: 'ObjectToSubmissionSilence'; submissionId: string; reason: string }
  | { type: 'VoidSubmissionSilence'; submissionId: string; reason?: string };

export class ActOnSubmissionCommand extends Command<{ submissionId: string }> {
  constructor(
    readonly principal: Principal,
    readonly action: SubmissionAction,
  ) {
    super();
  }
}

/**
 * `POST /api/submissions/:id/sections/:sectionId/introduction`: records SectionIntroductionAdded in
 * the submission's stream (one introduction per question's section), then creates the proposal of
 * kind `introduction` it names.
 */
export class AddSectionIntroductionCommand extends Command<{ proposalId: string }> {
  constructor(
    readonly principal: Principal,
    readonly submissionId: string,
    readonly sectionId: string,
  ) {
    super();
  }
}
