import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiGoneResponse,
  ApiNoContentResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '@concord/api/platform';
import { AccountService } from './account.service';
import { ResetPasswordDto } from './account.dto';

/** Setting a password with a one-time reset link: no session needed (the second sign-in step is AuthController's). */
@ApiTags('auth')
@Controller('auth')
export class AccountSignInController {
  constructor(private readonly account: AccountService) {}

  @Public()
  @Post('reset')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The password is set (a PasswordReset event); the link is used up and every session of the account has ended' })
  @ApiBadRequestResponse({ description: 'Malformed link, or the new password is too short or too common' })
  @ApiGoneResponse({ description: 'The link was already used, replaced by a newer one, or expired' })
  async resetPassword(@Body() body: ResetPasswordDto): Promise<void> {
    await this.account.resetPassword(body.token, body.newPassword);
  }
}
