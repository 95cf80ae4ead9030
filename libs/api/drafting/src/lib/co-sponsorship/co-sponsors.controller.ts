import { Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { IsUUID, Matches } from 'class-validator';
import type { ProposalDetailDto } from '@concord/contracts';
import { CurrentUser, Principal } from '@concord/api/platform';
import { ProposalIdParam } from '../proposals/proposal.dto';
import { ProposalQueries } from '../proposals/proposal-queries.service';
import { ActOnCoSponsorshipCommand, CoSponsorshipAction } from './co-sponsorship.commands';

export class CoSponsorParam {
  @IsUUID('all', { message: 'id must be a proposal id (a UUID)' })
  id!: string;

  @Matches(/^[A-Za-z]{2}$/, { message: 'memberState must be an ISO 3166-1 alpha-2 code, such as FR' })
  memberState!: string;
}

/** Co-sponsorship by member states (issue 14 §4); each answers with the proposal as it now is. */
@ApiTags('proposals')
@ApiBearerAuth()
@Controller('proposals')
export class CoSponsorsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queries: ProposalQueries,
  ) {}

  /** A delegate co-sponsors the proposal for the member state they represent (no body). */
  @Post(':id/co-sponsors')
  @HttpCode(200)
  coSponsor(@Param() { id }: ProposalIdParam, @CurrentUser() principal: Principal): Promise<ProposalDetailDto> {
    return this.act(id, principal, { type: 'CoSponsorProposal' });
  }

  /** A delegate of `memberState` withdraws its co-sponsorship. */
  @Delete(':id/co-sponsors/:memberState')
  @HttpCode(200)
  withdraw(@Param() { id, memberState }: CoSponsorParam, @CurrentUser() principal: Principal): Promise<ProposalDetailDto> {
    return this.act(id, principal, { type: 'WithdrawCoSponsorship', memberState: memberState.toUpperCase() });
  }

  private async act(id: string, principal: Principal, action: CoSponsorshipAction): Promise<ProposalDetailDto> {
    await this.commandBus.execute(new ActOnCoSponsorshipCommand(id, principal, action));
    return this.queries.detail(id, principal);
  }
}
