import { Inject, NotFoundException } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { userDecider, userStream } from '@concord/domain';
import { CommandExecutor, CONTENT_FENCE, ContentFence, SessionService, UserDirectory } from '@concord/api/platform';
import { DisableUserCommand } from './disable-user.command';

@CommandHandler(DisableUserCommand)
export class DisableUserHandler implements ICommandHandler<DisableUserCommand> {
  constructor(
    private readonly commands: CommandExecutor,
    private readonly users: UserDirectory,
    @Inject(CONTENT_FENCE) private readonly fence: ContentFence,
    private readonly sessions: SessionService,
  ) {}

  async execute({ userId, actor }: DisableUserCommand): Promise<void> {
    if (!(await this.users.byId(userId))) throw new NotFoundException(`User ${userId} does not exist`);
    // The fence closes the user's content writes in the log before the account is disabled.
    await this.commands.execute(userStream(userId), userDecider, { type: 'DisableUser', data: { userId, actor } }, actor.userId, undefined, this.fence.guard);
    // The account refuses sign-in and every request already; ending its sessions records why in the log.
    await this.sessions.endAllFor(userId, 'user-disabled', { actor });
  }
}
