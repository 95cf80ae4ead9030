import { Command } from '@nestjs/cqrs';
import type { Principal } from '@concord/api/platform';

export type SubmissionAction =
  | { type: 'OpenSubmission'; iscmId: string; consultation: string; title: string; dueDate: string; submissionId?: string }
  | { type: 'SendSubmissionForApproval'; submissionId: string }
  | { type: 'ApproveSubmission'; submissionId: string }
  | { type: 'LockSubmission'; submissionId: string };

export class ActOnSubmissionCommand extends Command<{ submissionId: string }> {
  constructor(
    readonly principal: Principal,
    readonly action: SubmissionAction,
  ) {
    super();
  }
}
