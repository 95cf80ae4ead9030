import { Body, Controller, ForbiddenException, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, READ_MODEL_DATABASE, ReadModelDatabase } from '@concord/api/platform';
import { RegisterUserDto } from './register-user.dto';
import { DisableUserCommand } from './disable-user.command';
import { RegisterUserCommand } from './register-user.command';

function requireAdmin(principal: Principal): void {
  if (!principal.isAdmin) throw new ForbiddenException('Only an administrator may manage users');
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
  ) {}

  @Post()
  @ApiCreatedResponse({ description: 'The user is registered; returns its id' })
  register(@Body() body: RegisterUserDto, @CurrentUser() principal: Principal): Promise<{ userId: string }> {
    requireAdmin(principal);
    return this.commandBus.execute(
      new RegisterUserCommand(body.email, body.name, body.password, body.isAdmin ?? false, principal),
    );
  }

  @Post(':userId/disable')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The account is disabled: no sign-in, its open co-editing sockets end (4401)' })
  async disable(@Param('userId') userId: string, @CurrentUser() principal: Principal): Promise<void> {
    requireAdmin(principal);
    await this.commandBus.execute(new DisableUserCommand(userId, principal));
  }

  @Get()
  async list(@CurrentUser() principal: Principal) {
    requireAdmin(principal);
    const rows = await this.db.query<{ id: string; email: string; name: string; is_admin: number; disabled: number }>(
      'SELECT id, email, name, is_admin, disabled FROM rm_users ORDER BY name',
    );
    return rows.map((row) => ({ id: row.id, email: row.email, name: row.name, isAdmin: Boolean(row.is_admin), disabled: Boolean(row.disabled) }));
  }
}
