import { Body, Controller, Get, HttpCode, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { LoginResponse, UserDto } from '@concord/contracts';
import {
  ClientAddress,
  CurrentUser,
  LoginThrottle,
  PasswordHashing,
  Principal,
  Public,
  rootLogger,
  UserDirectory,
} from '@concord/api/platform';
import { LoginDto } from './login.dto';
import { SignIns } from './sign-in.service';
import { UserProfiles } from './user-profile.service';

const log = rootLogger.child({ context: 'Auth' });

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly users: UserDirectory,
    private readonly signIns: SignIns,
    private readonly profiles: UserProfiles,
    private readonly throttle: LoginThrottle,
    private readonly passwords: PasswordHashing,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ description: 'A short-lived access token and the signed-in user; the refresh token comes as an HttpOnly cookie' })
  @ApiUnauthorizedResponse({ description: 'Email or password is incorrect (never says which)' })
  @ApiTooManyRequestsResponse({
    description: 'Too many failed sign-ins for this account or from this address; Retry-After says when to try again',
  })
  @ApiServiceUnavailableResponse({ description: 'Too many sign-ins being checked at once; Retry-After: 1' })
  async login(
    @Body() body: LoginDto,
    @ClientAddress() address: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LoginResponse> {
    // Refused before any password is hashed: a locked account costs the server nothing.
    await this.throttle.admit(body.email, address);
    const user = await this.users.byEmail(body.email);
    // Verified against a decoy when the account is unknown, so timing does not reveal it either.
    const valid = await this.passwords.verify(user?.passwordHash, body.password);
    if (!user || !valid || user.disabled) {
      await this.throttle.recordFailure(body.email, address);
      log.warn({ known: Boolean(user), address }, 'failed sign-in');
      throw new UnauthorizedException('Email or password is incorrect');
    }
    await this.throttle.recordSuccess(body.email);
    return this.signIns.issue(user, request, response);
  }

  @Get('me')
  @ApiBearerAuth()
  me(@CurrentUser() principal: Principal): Promise<UserDto> {
    return this.profiles.profile(principal.userId);
  }
}
