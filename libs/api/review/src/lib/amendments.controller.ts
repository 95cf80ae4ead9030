import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AmendmentDto } from '@concord/contracts';
import { CurrentUser, Principal } from '@concord/api/platform';
import { ProposalIdParam } from '@concord/api/drafting';
import { AmendmentQueries } from './amendment-queries.service';

/**
 * The amendment list: every suggestion with its member state, author, words before and after, the
 * revision it was made on, its status and who decided it — per proposal and per submission.
 */
@ApiTags('amendments')
@ApiBearerAuth()
@Controller()
export class AmendmentsController {
  constructor(private readonly queries: AmendmentQueries) {}

  @Get('proposals/:id/amendments')
  forProposal(@Param() { id }: ProposalIdParam, @CurrentUser() principal: Principal): Promise<AmendmentDto[]> {
    return this.queries.forProposal(id, principal);
  }

  @Get('submissions/:id/amendments')
  forSubmission(@Param('id') id: string, @CurrentUser() principal: Principal): Promise<AmendmentDto[]> {
    return this.queries.forSubmission(id, principal);
  }
}
