import { Command } from '@nestjs/cqrs';
import type { Principal } from '@concord/api/platform';

/** What a delegate asks (`POST /api/proposals/<id>/co-sponsors`, `DELETE …/co-sponsors/<memberState>`). */
export type CoSponsorshipAction = { type: 'CoSponsorProposal' } | { type: 'WithdrawCoSponsorship'; memberState: string };

export class ActOnCoSponsorshipCommand extends Command<void> {
  constructor(
    readonly proposalId: string,
    readonly principal: Principal,
    readonly action: CoSponsorshipAction,
  ) {
    super();
  }
}
