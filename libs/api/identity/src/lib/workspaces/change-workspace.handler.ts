import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { workspaceDecider, workspaceStream } from '@concord/domain';
import { CommandExecutor, CONTENT_FENCE, ContentFence, UserDirectory } from '@concord/api/platform';
import { Inject, NotFoundException } from '@nestjs/common';
import { ChangeWorkspaceCommand } from './change-workspace.command';

@CommandHandler(ChangeWorkspaceCommand)
export class ChangeWorkspaceHandler implements ICommandHandler<ChangeWorkspaceCommand> {
  constructor(
    private readonly commands: CommandExecutor,
    private readonly users: UserDirectory,
    @Inject(CONTENT_FENCE) private readonly fence: ContentFence,
  ) {}

  async execute({ command }: ChangeWorkspaceCommand): Promise<void> {
    if (command.type === 'AddMember' && !(await this.users.byId(command.data.userId))) {
      throw new NotFoundException(`User ${command.data.userId} does not exist`);
    }
    // The fence closes (or reopens) content writes in the log around a drafter role change.
    await this.commands.execute(workspaceStream(command.data.iscmId), workspaceDecider, command, command.data.actor.userId, undefined, this.fence.guard);
  }
}
