import { Command } from '@nestjs/cqrs';
import type { Principal } from '@concord/api/platform';

/** What a user asks of a proposal's silence procedure (`POST /api/proposals/<id>/silence…`). */
export type SilenceAction =
  | { type: 'StartSilence'; revision: number; deadline: string }
  | { type: 'ObjectToSilence'; reason: string }
  | { type: 'VoidSilence'; reason?: string };

export class ActOnSilenceCommand extends Command<void> {
  constructor(
    readonly proposalId: string,
    readonly principal: Principal,
    readonly action: SilenceAction,
  ) {
    super();
  }
}

/** Decided by the silence deadline service (no user): adopt `silenceId` if its deadline has come. */
export class AdoptSilenceCommand extends Command<{ adopted: boolean }> {
  constructor(
    readonly proposalId: string,
    readonly silenceId: string,
  ) {
    super();
  }
}

/** Decided by the silence deadline service (no user): adopt the submission's `silenceId` if its deadline has come. */
export class AdoptSubmissionSilenceCommand extends Command<{ adopted: boolean }> {
  constructor(
    readonly submissionId: string,
    readonly silenceId: string,
  ) {
    super();
  }
}
