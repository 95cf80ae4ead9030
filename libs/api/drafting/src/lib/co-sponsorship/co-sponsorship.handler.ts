import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ProposalCommand, proposalDecider, proposalStream } from '@concord/domain';
import { CommandExecutor, READ_MODEL_DATABASE, ReadModelDatabase } from '@concord/api/platform';
import { DraftingContext } from '../proposals/proposal-context.service';
import { ActOnCoSponsorshipCommand } from './co-sponsorship.commands';

/**
 * Co-sponsorship through the normal command path: the facts (roles, submission status, current
 * revision) and the member state the caller represents in the proposal's workspace (their delegate
 * row of `rm_members`) are looked up here; the proposal decider decides (403/404/409 with a reason).
 */
@CommandHandler(ActOnCoSponsorshipCommand)
export class ActOnCoSponsorshipHandler implements ICommandHandler<ActOnCoSponsorshipCommand> {
  constructor(
    private readonly commands: CommandExecutor,
    private readonly context: DraftingContext,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
  ) {}

  async execute({ proposalId, principal, action }: ActOnCoSponsorshipCommand): Promise<void> {
    const facts = await this.context.proposal(proposalId, principal);
    const [member] = await this.db.query<{ member_state: string | null }>(
      `SELECT member_state FROM rm_members WHERE iscm_id = ? AND user_id = ? AND role = 'delegate'`,
      [facts.iscmId, principal.userId],
    );
    const base = { proposalId, actor: facts.actor, submissionStatus: facts.submissionStatus };
    const memberState = member?.member_state ?? null;
    const command: ProposalCommand =
      action.type === 'CoSponsorProposal'
        ? { type: 'CoSponsorProposal', data: { ...base, currentRevision: facts.currentRevision, memberState } }
        : { type: 'WithdrawCoSponsorship', data: { ...base, memberState: action.memberState, actorMemberState: memberState } };
    await this.commands.execute(proposalStream(proposalId), proposalDecider, command, principal.userId);
  }
}
