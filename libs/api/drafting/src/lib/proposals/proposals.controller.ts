import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { ProposalDetailDto, ProposalSummaryDto } from '@concord/contracts';
import { CurrentUser, Principal } from '@concord/api/platform';
import { ActOnProposalCommand, CreateProposalCommand, ProposalAction } from './proposal.commands';
import { ProposalQueries } from './proposal-queries.service';
import {
  ApproveDto,
  ChangeProposalDetailsDto,
  CreateProposalDto,
  NameVersionDto,
  ProposalIdParam,
  ProposalListQuery,
  RequestChangesDto,
  RevisionDto,
  SilenceObjectionRequestDto,
  StartSilenceDto,
  VoidSilenceDto,
} from './proposal.dto';
import { ActOnSilenceCommand, SilenceAction } from '../silence/silence.commands';

@ApiTags('proposals')
@ApiBearerAuth()
@Controller('proposals')
export class ProposalsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queries: ProposalQueries,
  ) {}

  @Get()
  list(@CurrentUser() principal: Principal, @Query() query: ProposalListQuery): Promise<ProposalSummaryDto[]> {
    return this.queries.list(principal, query);
  }

  @Get(':id')
  detail(@Param() { id }: ProposalIdParam, @CurrentUser() principal: Principal): Promise<ProposalDetailDto> {
    return this.queries.detail(id, principal);
  }

  @Post()
  async create(@Body() body: CreateProposalDto, @CurrentUser() principal: Principal): Promise<ProposalDetailDto> {
    const { proposalId } = await this.commandBus.execute(
      new CreateProposalCommand(principal, { ...body, summary: body.summary ?? '' }),
    );
    return this.queries.detail(proposalId, principal);
  }

  @Patch(':id')
  changeDetails(@Param() { id }: ProposalIdParam, @Body() body: ChangeProposalDetailsDto, @CurrentUser() principal: Principal) {
    return this.act(id, principal, { type: 'ChangeProposalDetails', ...body });
  }

  @Post(':id/review')
  @HttpCode(200)
  sendForReview(@Param() { id }: ProposalIdParam, @Body() body: RevisionDto, @CurrentUser() principal: Principal) {
    return this.act(id, principal, { type: 'SendForReview', revision: body.revision });
  }

  @Post(':id/approvals')
  @HttpCode(200)
  approve(@Param() { id }: ProposalIdParam, @Body() body: ApproveDto, @CurrentUser() principal: Principal) {
    return this.act(id, principal, { type: 'ApproveProposal', revision: body.revision, comment: body.comment });
  }

  @Post(':id/changes-requested')
  @HttpCode(200)
  requestChanges(@Param() { id }: ProposalIdParam, @Body() body: RequestChangesDto, @CurrentUser() principal: Principal) {
    return this.act(id, principal, { type: 'RequestChanges', revision: body.revision, comment: body.comment });
  }

  @Post(':id/versions')
  @HttpCode(200)
  nameVersion(@Param() { id }: ProposalIdParam, @Body() body: NameVersionDto, @CurrentUser() principal: Principal) {
    return this.act(id, principal, { type: 'NameVersion', revision: body.revision, label: body.label });
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  withdraw(@Param() { id }: ProposalIdParam, @CurrentUser() principal: Principal) {
    return this.act(id, principal, { type: 'WithdrawProposal' });
  }

  /** A chair circulates the current revision until `deadline` (silence procedure); the text is frozen meanwhile. */
  @Post(':id/silence')
  @HttpCode(200)
  startSilence(@Param() { id }: ProposalIdParam, @Body() body: StartSilenceDto, @CurrentUser() principal: Principal) {
    return this.silence(id, principal, { type: 'StartSilence', revision: body.revision, deadline: body.deadline });
  }

  /** A delegate (a member state's focal point) breaks silence before the deadline. */
  @Post(':id/silence/objections')
  @HttpCode(200)
  objectToSilence(@Param() { id }: ProposalIdParam, @Body() body: SilenceObjectionRequestDto, @CurrentUser() principal: Principal) {
    return this.silence(id, principal, { type: 'ObjectToSilence', reason: body.reason });
  }

  /** A chair withdraws the running silence procedure; the text may be edited again. */
  @Post(':id/silence/void')
  @HttpCode(200)
  voidSilence(@Param() { id }: ProposalIdParam, @Body() body: VoidSilenceDto, @CurrentUser() principal: Principal) {
    return this.silence(id, principal, { type: 'VoidSilence', reason: body.reason });
  }

  private async silence(id: string, principal: Principal, action: SilenceAction): Promise<ProposalDetailDto> {
    await this.commandBus.execute(new ActOnSilenceCommand(id, principal, action));
    return this.queries.detail(id, principal);
  }

  /**
   * Every action answers with the proposal as it now is. Who may see it is checked by the handler,
   * with the facts it decides with (`DraftingContext.proposal`): one read before, one after.
   */
  private async act(id: string, principal: Principal, action: ProposalAction): Promise<ProposalDetailDto> {
    await this.commandBus.execute(new ActOnProposalCommand(id, principal, action));
    return this.queries.detail(id, principal);
  }
}
