import { Controller, ForbiddenException, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AdminUserDto, PasswordResetLinkDto } from '@concord/contracts';
import { CurrentUser, Principal } from '@concord/api/platform';
import { AccountService } from './account.service';

function requireAdmin(principal: Principal): void {
  if (!principal.isAdmin) throw new ForbiddenException('Only a platform administrator may manage users');
}

/** What platform administrators do to accounts (disabling is `POST /api/users/:userId/disable`). */
@ApiTags('users')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'Not a platform administrator' })
@Controller('admin/users')
export class AdminUsersController {
  constructor(private readonly account: AccountService) {}

  @Get()
  @ApiOkResponse({ description: 'Every user with account state (disabled, second factor, pending reset link)' })
  list(@CurrentUser() principal: Principal): Promise<AdminUserDto[]> {
    requireAdmin(principal);
    return this.account.listUsers();
  }

  @Post(':userId/reenable')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The account may sign in again (a UserReenabled event)' })
  async reenable(@Param('userId') userId: string, @CurrentUser() principal: Principal): Promise<void> {
    requireAdmin(principal);
    await this.account.reenable(principal, userId);
  }

  @Post(':userId/password-reset')
  @ApiCreatedResponse({ description: 'A one-time reset link to pass on; only its hash is recorded' })
  issueResetLink(@Param('userId') userId: string, @CurrentUser() principal: Principal): Promise<PasswordResetLinkDto> {
    requireAdmin(principal);
    return this.account.issueResetLink(principal, userId);
  }

  @Post(':userId/mfa/disable')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The user’s second factor is off (they lost it); they may enrol again' })
  async disableMfa(@Param('userId') userId: string, @CurrentUser() principal: Principal): Promise<void> {
    requireAdmin(principal);
    await this.account.adminDisableMfa(principal, userId);
  }
}
