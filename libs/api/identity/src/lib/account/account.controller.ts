import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { MfaSetupDto, MfaStatusDto, RecoveryCodesDto } from '@concord/contracts';
import { ClientAddress, CurrentUser, Principal } from '@concord/api/platform';
import { AccountService } from './account.service';
import { ChangePasswordDto, ConfirmMfaDto, DisableMfaDto } from './account.dto';

/** The signed-in user's own account: password and second factor. */
@ApiTags('account')
@ApiBearerAuth()
@Controller('account')
export class AccountController {
  constructor(private readonly account: AccountService) {}

  @Post('password')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The password is changed (a PasswordChanged event)' })
  @ApiBadRequestResponse({ description: 'Wrong current password, or the new one is too short or too common (reason given)' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong passwords for this account (shared with sign-in)' })
  async changePassword(@Body() body: ChangePasswordDto, @CurrentUser() principal: Principal, @ClientAddress() address: string): Promise<void> {
    await this.account.changePassword(principal, body.currentPassword, body.newPassword, address);
  }

  @Get('mfa')
  @ApiOkResponse({ description: 'Whether two-factor sign-in is on, recovery codes left, and whether policy requires it' })
  mfaStatus(@CurrentUser() principal: Principal): Promise<MfaStatusDto> {
    return this.account.mfaStatus(principal);
  }

  @Post('mfa/setup')
  @HttpCode(200)
  @ApiOkResponse({ description: 'A new secret, its otpauth URI and QR code, and the token to confirm it with' })
  startEnrolment(@CurrentUser() principal: Principal): Promise<MfaSetupDto> {
    return this.account.startEnrolment(principal);
  }

  @Post('mfa/confirm')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Two-factor sign-in is on; the ten recovery codes, shown only now' })
  @ApiBadRequestResponse({ description: 'Wrong code, or the enrolment expired' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong codes' })
  confirmEnrolment(@Body() body: ConfirmMfaDto, @CurrentUser() principal: Principal, @ClientAddress() address: string): Promise<RecoveryCodesDto> {
    return this.account.confirmEnrolment(principal, body.enrolmentToken, body.code, address);
  }

  @Post('mfa/disable')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Two-factor sign-in is off' })
  @ApiBadRequestResponse({ description: 'Wrong password or code' })
  async disableMfa(@Body() body: DisableMfaDto, @CurrentUser() principal: Principal, @ClientAddress() address: string): Promise<void> {
    await this.account.disableMfa(principal, body.password, body.code, address);
  }
}
