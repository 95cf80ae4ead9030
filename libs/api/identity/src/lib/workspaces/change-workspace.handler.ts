import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { workspaceDecider, workspaceStream } from '@concord/domain';
import { CommandExecutor, UserDirectory } from '@concord/api/platform';
import { NotFoundException } from '@nestjs/common';
import { ChangeWorkspaceCommand } from './change-workspace.command';

@CommandHandler(ChangeWorkspaceCommand)
export class ChangeWorkspaceHandler implements ICommandHandler<ChangeWorkspaceCommand> {
  constructor(
    private readonly commands: CommandExecutor,
    private readonly users: UserDirectory,
  ) {}

  async execute({ command }: ChangeWorkspaceCommand): Promise<void> {
    if (command.type === 'AddMember' && !(await this.users.byId(command.data.userId))) {
      throw new NotFoundException(`User ${command.data.userId} does not exist`);
    }
    await this.commands.execute(workspaceStream(command.data.iscmId), workspaceDecider, command, command.data.actor.userId);
  }
}
