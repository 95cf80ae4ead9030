import { BadRequestException } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import * as Y from 'yjs';
import { proposalThreadsStream, threadsDecider, type ThreadCommand } from '@concord/domain';
import { CommandExecutor } from '@concord/api/platform';
import { DraftingContext } from '@concord/api/drafting';
import { ActOnThreadCommand } from './thread.commands';

/** An anchor must be two Yjs relative positions; anything else would break every reader's fold. */
export function checkAnchorPosition(encoded: string, field: string): void {
  try {
    const bytes = Buffer.from(encoded, 'base64');
    if (bytes.length === 0 || bytes.toString('base64') !== encoded) throw new Error('not canonical base64');
    Y.decodeRelativePosition(new Uint8Array(bytes));
  } catch {
    throw new BadRequestException(`${field} is not an encoded Yjs relative position`);
  }
}

@CommandHandler(ActOnThreadCommand)
export class ActOnThreadHandler implements ICommandHandler<ActOnThreadCommand> {
  constructor(
    private readonly commands: CommandExecutor,
    private readonly context: DraftingContext,
  ) {}

  async execute({ proposalId, principal, action }: ActOnThreadCommand): Promise<void> {
    if (action.type === 'OpenThread') {
      checkAnchorPosition(action.anchor.from, 'anchor.from');
      checkAnchorPosition(action.anchor.to, 'anchor.to');
    }
    const facts = await this.context.proposal(proposalId, principal);
    const base = {
      proposalId,
      actor: facts.actor,
      proposalStatus: facts.proposalStatus,
      submissionStatus: facts.submissionStatus,
      currentRevision: facts.currentRevision,
    };
    const members = async () => (await this.context.membersOf(facts.iscmId)).map((member) => member.userId);
    let command: ThreadCommand;
    switch (action.type) {
      case 'OpenThread': {
        const { type, ...data } = action;
        command = { type, data: { ...base, ...data, members: await members() } };
        break;
      }
      case 'ReplyToThread': {
        const { type, ...data } = action;
        command = { type, data: { ...base, ...data, members: await members() } };
        break;
      }
      default: {
        const { type, threadId } = action;
        command = { type, data: { ...base, threadId } };
      }
    }
    await this.commands.execute(proposalThreadsStream(proposalId), threadsDecider, command, principal.userId);
  }
}
