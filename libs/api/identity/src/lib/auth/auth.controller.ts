import { Body, Controller, Get, HttpCode, Post, UnauthorizedException } from '@nestjs/common';
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
  TokenService,
  UserDirectory,
} from '@concord/api/platform';
import { LoginDto } from './login.dto';
import { UserProfiles } from './user-profile.service';

const log = rootLogger.child({ context: 'Auth' });

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly users: UserDirectory,
    private readonly tokens: TokenService,
    private readonly profiles: UserProfiles,
    private readonly throttle: LoginThrottle,
    private readonly passwords: PasswordHashing,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ description: 'An access token and the signed-in user' })
  @ApiUnauthorizedResponse({ description: 'Email or password is incorrect (never says which)' })
  @ApiTooManyRequestsResponse({
    description: 'Too many failed sign-ins for this account or from this address; Retry-After says when to try again',
  })
  @ApiServiceUnavailableResponse({ description: 'Too many sign-ins being checked at once; Retry-After: 1' })
  async login(@Body() body: LoginDto, @ClientAddress() address: string): Promise<LoginResponse> {
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
    const { accessToken, expiresIn } = this.tokens.issue({
      userId: user.id,
      email: user.email,
      name: user.name,
      isAdmin: user.isAdmin,
    });
    log.info({ userId: user.id }, 'signed in');
    return { accessToken, expiresIn, user: await this.profiles.profile(user.id) };
  }

  @Get('me')
  @ApiBearerAuth()
  me(@CurrentUser() principal: Principal): Promise<UserDto> {
    return this.profiles.profile(principal.userId);
  }
}
