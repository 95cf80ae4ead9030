import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { LoginResponse, SignInResponse, UserDto } from '@concord/contracts';
import { ClientAddress, CurrentUser, Principal, Public } from '@concord/api/platform';
import { CompleteMfaSignInDto } from '../account/account.dto';
import { LoginDto } from './login.dto';
import { SignIns } from './sign-in.service';
import { UserProfiles } from './user-profile.service';

/** Signing in (both steps go through SignIns) and who I am. Refresh and sign-out: SessionsController. */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly signIns: SignIns,
    private readonly profiles: UserProfiles,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({
    description:
      'A short-lived access token and the signed-in user, the refresh token as an HttpOnly cookie; or `{mfaRequired, mfaToken}` (no session yet) when the account has a second factor',
  })
  @ApiUnauthorizedResponse({ description: 'Email or password is incorrect (never says which)' })
  @ApiTooManyRequestsResponse({
    description: 'Too many failed sign-ins for this account or from this address; Retry-After says when to try again',
  })
  @ApiServiceUnavailableResponse({ description: 'Too many sign-ins being checked at once; Retry-After: 1' })
  login(
    @Body() body: LoginDto,
    @ClientAddress() address: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SignInResponse> {
    return this.signIns.withPassword(body.email, body.password, address, request, response);
  }

  @Public()
  @Post('mfa')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The second step: what POST /api/auth/login answers without a second factor (session, cookie, token)' })
  @ApiUnauthorizedResponse({ description: 'Wrong or already used code, or the challenge expired' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong codes for this account or from this address; Retry-After' })
  completeSignIn(
    @Body() body: CompleteMfaSignInDto,
    @ClientAddress() address: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LoginResponse> {
    return this.signIns.withSecondFactor(body.mfaToken, body.code, address, request, response);
  }

  @Get('me')
  @ApiBearerAuth()
  me(@CurrentUser() principal: Principal): Promise<UserDto> {
    return this.profiles.profile(principal.userId);
  }
}
