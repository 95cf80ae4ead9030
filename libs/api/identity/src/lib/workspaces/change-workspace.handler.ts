import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { WorkspaceCommand, workspaceDecider, workspaceStream } from '@concord/domain';
import { memberStatesOf } from '@concord/reference';
import { CommandExecutor, CONTENT_FENCE, ContentFence, UserDirectory } from '@concord/api/platform';
import { Inject, NotFoundException } from '@nestjs/common';
import { ChangeWorkspaceCommand } from './change-workspace.command';

/** A delegate's member state is decided against the ISCM's member states in the reference data. */
function withMemberStatesOfIscm(command: WorkspaceCommand): WorkspaceCommand {
  if (command.type !== 'AddMember' && command.type !== 'ChangeMemberRole') return command;
  const memberStatesOfIscm = memberStatesOf(command.data.iscmId).map((state) => state.code);
  // Two identical branches, so that each keeps its own command type.
  return command.type === 'AddMember'
    ? { ...command, data: { ...command.data, memberStatesOfIscm } }
    : { ...command, data: { ...command.data, memberStatesOfIscm } };
}

@CommandHandler(ChangeWorkspaceCommand)
export class ChangeWorkspaceHandler implements ICommandHandler<ChangeWorkspaceCommand> {
  constructor(
    private readonly commands: CommandExecutor,
    private readonly users: UserDirectory,
    @Inject(CONTENT_FENCE) private readonly fence: ContentFence,
  ) {}

  async execute({ command: sent }: ChangeWorkspaceCommand): Promise<void> {
    if (sent.type === 'AddMember' && !(await this.users.byId(sent.data.userId))) {
      throw new NotFoundException(`User ${sent.data.userId} does not exist`);
    }
    const command = withMemberStatesOfIscm(sent);
    // The fence closes (or reopens) content writes in the log around a drafter role change.
    await this.commands.execute(workspaceStream(command.data.iscmId), workspaceDecider, command, command.data.actor.userId, undefined, this.fence.guard);
  }
}
