import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiGoneResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { InvitationDto, InvitationLinkDto, InvitationPreviewDto } from '@concord/contracts';
import { ClientAddress, CurrentUser, Principal, Public } from '@concord/api/platform';
import { AcceptInvitationDto, InviteDto } from './invitation.dto';
import { Invitations } from './invitations.service';

/** What workspace (and platform) administrators do with invitations. */
@ApiTags('workspaces')
@ApiBearerAuth()
@Controller('workspaces/:iscmId/invitations')
export class WorkspaceInvitationsController {
  constructor(private readonly invitations: Invitations) {}

  @Post()
  @ApiCreatedResponse({ description: 'An InvitationIssued event; the one-time link is returned once (only its hash is recorded)' })
  @ApiConflictResponse({ description: 'The email address already has an account' })
  issue(@Param('iscmId') iscmId: string, @Body() body: InviteDto, @CurrentUser() actor: Principal): Promise<InvitationLinkDto> {
    return this.invitations.issue(actor, iscmId, body.email, body.role, body.memberState);
  }

  @Get()
  list(@Param('iscmId') iscmId: string, @CurrentUser() actor: Principal): Promise<InvitationDto[]> {
    return this.invitations.list(actor, iscmId);
  }

  @Delete(':invitationId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'An InvitationRevoked event: the link no longer works' })
  async revoke(@Param('iscmId') iscmId: string, @Param('invitationId') invitationId: string, @CurrentUser() actor: Principal): Promise<void> {
    await this.invitations.revoke(actor, iscmId, invitationId);
  }
}

/** The invitee's side: no session needed, throttled like sign-in. */
@ApiTags('auth')
@Controller('invitations')
export class InvitationsController {
  constructor(private readonly invitations: Invitations) {}

  @Public()
  @Get(':token')
  @ApiNotFoundResponse({ description: 'Not a token Concord issued' })
  @ApiGoneResponse({ description: 'Already used, revoked or expired (the message says which)' })
  preview(@Param('token') token: string, @ClientAddress() address: string): Promise<InvitationPreviewDto> {
    return this.invitations.preview(token, address);
  }

  @Public()
  @Post(':token/accept')
  @ApiCreatedResponse({ description: 'UserRegistered, then InvitationAccepted and MemberAdded; sign in with the email and password' })
  @ApiBadRequestResponse({ description: 'Malformed link, or the password is too short or too common' })
  @ApiGoneResponse({ description: 'Already used, revoked or expired (the message says which)' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong links from this address; Retry-After' })
  accept(@Param('token') token: string, @Body() body: AcceptInvitationDto, @ClientAddress() address: string): Promise<{ userId: string; email: string }> {
    return this.invitations.accept(token, body.name, body.password, address);
  }
}
