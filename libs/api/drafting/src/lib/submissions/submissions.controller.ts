import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import type { OpenSubmissionRequest, PlaceProposalRequest, ProposalDetailDto, StartSubmissionSilenceRequest, SubmissionDto } from '@concord/contracts';
import { CurrentUser, Principal } from '@concord/api/platform';
import { ActOnSubmissionCommand, AddSectionIntroductionCommand, SubmissionAction } from './submission.commands';
import { SubmissionQueries } from './submission-queries.service';
import { ProposalQueries } from '../proposals/proposal-queries.service';
import { SilenceObjectionRequestDto, VoidSilenceDto } from '../proposals/proposal.dto';

export class OpenSubmissionDto implements OpenSubmissionRequest {
  @ApiProperty({ example: 'abu-dhabi-dialogue' })
  @IsString()
  @MinLength(1)
  iscmId!: string;

  @ApiPropertyOptional({
    example: 'Third informal thematic session, Geneva, 19–20 June 2017',
    description: "Free text; defaults to the title of the consultation named by consultationId",
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  consultation?: string;

  @ApiPropertyOptional({ example: 'gcm-ts3-2017', description: 'A consultation of GET /api/consultations; its guiding questions become the sections' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  consultationId?: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;

  @ApiProperty({ example: '2017-06-12' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dueDate must be a date written yyyy-mm-dd' })
  dueDate!: string;
}

export class PlaceProposalDto implements PlaceProposalRequest {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  proposalId!: string;

  @ApiProperty({ type: String, nullable: true, example: 'q3', description: 'A question id of the consultation, or null for "Other contributions"' })
  @ValidateIf((body: PlaceProposalDto) => body.sectionId !== null)
  @IsString()
  @MaxLength(100)
  sectionId!: string | null;

  @ApiProperty({ example: 0, description: '0-based position in the section; past the end puts it last' })
  @IsInt()
  @Min(0)
  @Max(9999)
  index!: number;
}

export class StartSubmissionSilenceDto implements StartSubmissionSilenceRequest {
  @ApiProperty({ example: '2027-03-08T17:00:00Z', description: 'ISO 8601 date-time with a time zone, at least 1 minute and at most 90 days ahead' })
  @IsString({ message: 'deadline must be an ISO 8601 date-time such as 2027-03-08T17:00:00Z' })
  @MaxLength(40)
  deadline!: string;
}

export class SubmissionListQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  iscmId?: string;
}

@ApiTags('submissions')
@ApiBearerAuth()
@Controller('submissions')
export class SubmissionsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queries: SubmissionQueries,
    private readonly proposals: ProposalQueries,
  ) {}

  @Get()
  list(@CurrentUser() principal: Principal, @Query() query: SubmissionListQuery): Promise<SubmissionDto[]> {
    return this.queries.list(principal, query.iscmId);
  }

  @Get(':id')
  one(@Param('id') id: string, @CurrentUser() principal: Principal): Promise<SubmissionDto> {
    return this.queries.one(id, principal);
  }

  @Post()
  open(@Body() body: OpenSubmissionDto, @CurrentUser() principal: Principal): Promise<SubmissionDto> {
    return this.act(principal, { type: 'OpenSubmission', ...body });
  }

  /** Put a proposal under one of the consultation's questions (or "Other contributions") at a position. */
  @Post(':id/placements')
  @HttpCode(200)
  place(@Param('id') id: string, @Body() body: PlaceProposalDto, @CurrentUser() principal: Principal): Promise<SubmissionDto> {
    return this.act(principal, { type: 'PlaceProposal', submissionId: id, proposalId: body.proposalId, sectionId: body.sectionId, index: body.index });
  }

  /**
   * Creates the introduction of a guiding question's section: a proposal of kind `introduction`
   * (co-edited like any other), first in its section. 409 when the section has one, 400 for
   * "Other contributions" or an id that is not one of the consultation's questions.
   */
  @Post(':id/sections/:sectionId/introduction')
  async addIntroduction(
    @Param('id') id: string,
    @Param('sectionId') sectionId: string,
    @CurrentUser() principal: Principal,
  ): Promise<ProposalDetailDto> {
    const { proposalId } = await this.commandBus.execute(new AddSectionIntroductionCommand(principal, id, sectionId));
    return this.proposals.detail(proposalId, principal);
  }

  @Post(':id/send-for-approval')
  @HttpCode(200)
  sendForApproval(@Param('id') id: string, @CurrentUser() principal: Principal) {
    return this.act(principal, { type: 'SendSubmissionForApproval', submissionId: id });
  }

  @Post(':id/approve')
  @HttpCode(200)
  approve(@Param('id') id: string, @CurrentUser() principal: Principal) {
    return this.act(principal, { type: 'ApproveSubmission', submissionId: id });
  }

  @Post(':id/lock')
  @HttpCode(200)
  lock(@Param('id') id: string, @CurrentUser() principal: Principal) {
    return this.act(principal, { type: 'LockSubmission', submissionId: id });
  }

  /**
   * A chair circulates the whole submission under silence until `deadline`: every proposal still in
   * it, at its current revision, frozen until the procedure ends; adopted at the deadline (the
   * submission approved with exactly those texts) unless a member state objects first.
   */
  @Post(':id/silence')
  @HttpCode(200)
  startSilence(@Param('id') id: string, @Body() body: StartSubmissionSilenceDto, @CurrentUser() principal: Principal) {
    return this.act(principal, { type: 'StartSubmissionSilence', submissionId: id, deadline: body.deadline });
  }

  /** A member state's focal point breaks silence on the submission before the deadline. */
  @Post(':id/silence/objections')
  @HttpCode(200)
  objectToSilence(@Param('id') id: string, @Body() body: SilenceObjectionRequestDto, @CurrentUser() principal: Principal) {
    return this.act(principal, { type: 'ObjectToSubmissionSilence', submissionId: id, reason: body.reason });
  }

  /** A chair withdraws the submission's running silence procedure; its texts may be edited again. */
  @Post(':id/silence/void')
  @HttpCode(200)
  voidSilence(@Param('id') id: string, @Body() body: VoidSilenceDto, @CurrentUser() principal: Principal) {
    return this.act(principal, { type: 'VoidSubmissionSilence', submissionId: id, reason: body.reason });
  }

  /** Who may see the submission is checked by the handler, with the facts it decides with. */
  private async act(principal: Principal, action: SubmissionAction): Promise<SubmissionDto> {
    const { submissionId } = await this.commandBus.execute(new ActOnSubmissionCommand(principal, action));
    return this.queries.one(submissionId, principal);
  }
}
