import { Body, Controller, Get, HttpCode, Post, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { LoginResponse, UserDto } from '@concord/contracts';
import {
  CurrentUser,
  decoyPasswordHash,
  Principal,
  Public,
  rootLogger,
  TokenService,
  UserDirectory,
  verifyPassword,
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
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ description: 'An access token and the signed-in user' })
  @ApiUnauthorizedResponse({ description: 'Email or password is incorrect (never says which)' })
  async login(@Body() body: LoginDto): Promise<LoginResponse> {
    const user = await this.users.byEmail(body.email);
    // Verify against a decoy when the account is unknown, so timing does not reveal it either.
    const valid = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), body.password);
    if (!user || !valid || user.disabled) {
      log.warn({ known: Boolean(user) }, 'failed sign-in');
      throw new UnauthorizedException('Email or password is incorrect');
    }
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
