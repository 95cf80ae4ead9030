import { Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { RefreshResponse, SessionDto } from '@concord/contracts';
import { CONCORD_CONFIG, ConcordConfig, CurrentUser, Principal, Public, SessionService } from '@concord/api/platform';
import { clearRefreshCookie, readRefreshCookie, REFRESH_COOKIE, setRefreshCookie } from './refresh-cookie';
import { UserProfiles } from './user-profile.service';

/** Refresh, sign-out (here, everywhere) and my sessions. Sign-in itself is AuthController.login. */
@ApiTags('auth')
@Controller('auth')
export class SessionsController {
  constructor(
    private readonly sessions: SessionService,
    private readonly profiles: UserProfiles,
    @Inject(CONCORD_CONFIG) private readonly config: ConcordConfig,
  ) {}

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiCookieAuth(REFRESH_COOKIE)
  @ApiOkResponse({ description: 'A new access token; the refresh cookie is rotated' })
  @ApiUnauthorizedResponse({ description: 'No valid refresh cookie, or the session has ended (the reason says why)' })
  @ApiConflictResponse({ description: 'Another request refreshed this session a moment ago: retry once' })
  async refresh(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<RefreshResponse> {
    try {
      const issued = await this.sessions.refresh(readRefreshCookie(request));
      setRefreshCookie(response, this.config, issued);
      return { accessToken: issued.accessToken, expiresIn: issued.expiresIn, sessionId: issued.sessionId, user: await this.profiles.profile(issued.user.id) };
    } catch (error) {
      if ((error as { status?: number }).status === 401) clearRefreshCookie(response, this.config);
      throw error;
    }
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'This session has ended: its tokens and sockets stop working at once' })
  async logout(@CurrentUser() principal: Principal, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.sessions.end(principal.sessionId, 'signed-out', principal);
    clearRefreshCookie(response, this.config);
  }

  @Post('logout-all')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOkResponse({ description: 'Every session of mine has ended, this one included; returns how many' })
  async logoutAll(@CurrentUser() principal: Principal, @Res({ passthrough: true }) response: Response): Promise<{ ended: number }> {
    const ended = await this.sessions.endAllFor(principal.userId, 'signed-out-everywhere', { actor: principal });
    clearRefreshCookie(response, this.config);
    return { ended };
  }

  @Get('sessions')
  @ApiBearerAuth()
  @ApiOkResponse({ description: 'My open sessions, newest first; `current` marks this one' })
  sessionsOfMine(@CurrentUser() principal: Principal): Promise<SessionDto[]> {
    return this.sessions.list(principal.userId, principal.sessionId);
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'That session has ended (signing out that device)' })
  async endSession(
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 400 })) sessionId: string,
    @CurrentUser() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const owner = await this.sessions.ownerOf(sessionId);
    // Someone else's session is as unknown to me as a session that does not exist.
    if (owner !== principal.userId) throw new NotFoundException(`You have no session ${sessionId}`);
    await this.sessions.end(sessionId, sessionId === principal.sessionId ? 'signed-out' : 'revoked', principal);
    if (sessionId === principal.sessionId) clearRefreshCookie(response, this.config);
  }
}
