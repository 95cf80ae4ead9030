import { Command } from '@nestjs/cqrs';
import type { WorkspaceCommand } from '@concord/domain';

/** Any command on an ISCM workspace aggregate, already carrying its actor. */
export class ChangeWorkspaceCommand extends Command<void> {
  constructor(readonly command: WorkspaceCommand) {
    super();
  }
}
