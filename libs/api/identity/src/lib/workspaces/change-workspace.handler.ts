import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { WorkspaceCommand, workspaceDecider, workspaceStream } from '@concord/domain';
import { memberStatesOf } from '@concord/reference';
import { CommandExecutor, CONTENT_FENCE, ContentFence, UserDirectory } from '@concord/api/platform';
import { Inject, NotFoundException } from '@nestjs/common';
import { ChangeWorkspaceCommand } from './change-workspace.command';

/** A delegate's member state is decided against the ISCM's member states in the reference data. */
function withMemberStatesOfIscm(command: WorkspaceCommand): WorkspaceCommand {
  const memberStatesOfIscm = () => memberStatesOf(command.data.iscmId).map((state) => state.code);
  // Identical branches, so that each keeps its own command type.
  switch (command.type) {
    case 'AddMember':
      return { ...command, data: { ...command.data, memberStatesOfIscm: memberStatesOfIscm() } };
    case 'ChangeMemberRole':
      return { ...command, data: { ...command.data, memberStatesOfIscm: memberStatesOfIscm() } };
    case 'IssueInvitation':
      return { ...command, data: { ...command.data, memberStatesOfIscm: memberStatesOfIscm() } };
    default:
      return command;
  }
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
    // An invitation is accepted by the person it creates (they have no principal yet).
    const by = 'actor' in command.data ? command.data.actor.userId : command.data.userId;
    await this.commands.execute(workspaceStream(command.data.iscmId), workspaceDecider, command, by, undefined, this.fence.guard);
  }
}
