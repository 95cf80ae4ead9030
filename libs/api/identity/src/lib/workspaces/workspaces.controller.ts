import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { WorkspaceDto } from '@concord/contracts';
import { CurrentUser, Principal } from '@concord/api/platform';
import { ChangeWorkspaceCommand } from './change-workspace.command';
import { WorkspaceQueries } from './workspace-queries.service';
import { ChangeMemberRoleDto, SeparationOfDutiesDto } from '../invitations/invitation.dto';
import { ApprovalRuleBodyDto } from './approval-rule.dto';
import { AddMemberDto, RegisterWorkspaceDto, RemoveMemberQueryDto, ReviewPolicyDto } from './workspace.dto';

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

@ApiTags('workspaces')
@ApiBearerAuth()
@Controller('workspaces')
export class WorkspacesController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queries: WorkspaceQueries,
  ) {}

  @Get()
  mine(@CurrentUser() principal: Principal): Promise<WorkspaceDto[]> {
    return this.queries.visibleTo(principal);
  }

  @Get(':iscmId')
  one(@Param('iscmId') iscmId: string, @CurrentUser() principal: Principal): Promise<WorkspaceDto> {
    return this.queries.one(iscmId, principal);
  }

  @Post()
  async register(@Body() body: RegisterWorkspaceDto, @CurrentUser() actor: Principal): Promise<{ id: string }> {
    const iscmId = body.id ?? slug(body.abbreviation);
    await this.commandBus.execute(
      new ChangeWorkspaceCommand({ type: 'RegisterWorkspace', data: { iscmId, abbreviation: body.abbreviation, name: body.name, type: body.type, actor } }),
    );
    return { id: iscmId };
  }

  @Post(':iscmId/members')
  @HttpCode(204)
  async addMember(@Param('iscmId') iscmId: string, @Body() body: AddMemberDto, @CurrentUser() actor: Principal): Promise<void> {
    await this.commandBus.execute(
      new ChangeWorkspaceCommand({ type: 'AddMember', data: { iscmId, userId: body.userId, role: body.role, memberState: body.memberState, actor } }),
    );
  }

  /** Whether a chair may approve while suggestions or comment threads are open (ReviewPolicyChanged). */
  @Put(':iscmId/review-policy')
  @HttpCode(204)
  async reviewPolicy(@Param('iscmId') iscmId: string, @Body() body: ReviewPolicyDto, @CurrentUser() actor: Principal): Promise<void> {
    await this.commandBus.execute(
      new ChangeWorkspaceCommand({ type: 'ChangeReviewPolicy', data: { iscmId, approvalNeedsClosedReview: body.approvalNeedsClosedReview, actor } }),
    );
  }

  /** Separation of duties: a chair may not approve a revision whose text they alone wrote (SeparationOfDutiesChanged). */
  @Put(':iscmId/separation-of-duties')
  @HttpCode(204)
  async separationOfDuties(@Param('iscmId') iscmId: string, @Body() body: SeparationOfDutiesDto, @CurrentUser() actor: Principal): Promise<void> {
    await this.commandBus.execute(
      new ChangeWorkspaceCommand({ type: 'ChangeSeparationOfDuties', data: { iscmId, chairCannotApproveOwnText: body.chairCannotApproveOwnText, actor } }),
    );
  }

  /** Who approves the workspace's proposals, e.g. the chairs' troika, 2 of 3 (ApprovalRuleChanged); [] is any one chair. */
  @Put(':iscmId/approval-rule')
  @HttpCode(204)
  async approvalRule(@Param('iscmId') iscmId: string, @Body() body: ApprovalRuleBodyDto, @CurrentUser() actor: Principal): Promise<void> {
    await this.commandBus.execute(
      new ChangeWorkspaceCommand({ type: 'ChangeApprovalRule', data: { iscmId, approvers: body.approvers, required: body.required, actor } }),
    );
  }

  /** Replaces one role of a member by another (MemberRoleChanged); nobody makes themselves chair (403). */
  @Put(':iscmId/members/:userId/role')
  @HttpCode(204)
  async changeRole(
    @Param('iscmId') iscmId: string,
    @Param('userId') userId: string,
    @Body() body: ChangeMemberRoleDto,
    @CurrentUser() actor: Principal,
  ): Promise<void> {
    await this.commandBus.execute(
      new ChangeWorkspaceCommand({
        type: 'ChangeMemberRole',
        data: { iscmId, userId, from: body.from, to: body.to, memberState: body.memberState, actor },
      }),
    );
  }

  @Delete(':iscmId/members/:userId')
  @HttpCode(204)
  async removeMember(
    @Param('iscmId') iscmId: string,
    @Param('userId') userId: string,
    @Query() query: RemoveMemberQueryDto,
    @CurrentUser() actor: Principal,
  ): Promise<void> {
    await this.commandBus.execute(
      new ChangeWorkspaceCommand({ type: 'RemoveMember', data: { iscmId, userId, role: query.role, actor } }),
    );
  }
}
