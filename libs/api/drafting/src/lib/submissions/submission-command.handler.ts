import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { SubmissionCommand, submissionDecider, submissionStream } from '@concord/domain';
import { CommandExecutor, CONTENT_FENCE, CONTENT_HISTORY, ContentFence, ContentHistory, READ_MODEL_DATABASE, ReadModelDatabase } from '@concord/api/platform';
import { DraftingContext } from '../proposals/proposal-context.service';
import { ActOnSubmissionCommand } from './submission.commands';

@CommandHandler(ActOnSubmissionCommand)
export class ActOnSubmissionHandler implements ICommandHandler<ActOnSubmissionCommand> {
  constructor(
    private readonly commands: CommandExecutor,
    private readonly context: DraftingContext,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(CONTENT_HISTORY) private readonly content: ContentHistory,
    @Inject(CONTENT_FENCE) private readonly fence: ContentFence,
  ) {}

  async execute({ principal, action }: ActOnSubmissionCommand): Promise<{ submissionId: string }> {
    const submissionId = action.type === 'OpenSubmission' ? (action.submissionId ?? randomUUID()) : action.submissionId;
    const iscmId = action.type === 'OpenSubmission' ? action.iscmId : (await this.context.submission(submissionId)).iscmId;
    const actor = await this.context.actorIn(iscmId, principal);
    let command: SubmissionCommand;
    switch (action.type) {
      case 'OpenSubmission':
        command = { type: 'OpenSubmission', data: { submissionId, iscmId, consultation: action.consultation, title: action.title, dueDate: action.dueDate, actor } };
        break;
      case 'ApproveSubmission':
        command = { type: 'ApproveSubmission', data: { submissionId, actor, proposalRevisions: await this.currentRevisions(submissionId) } };
        break;
      default:
        command = { type: action.type, data: { submissionId, actor } };
    }
    // The fence closes content writes in the log before a lock is recorded.
    await this.commands.execute(submissionStream(submissionId), submissionDecider, command, principal.userId, undefined, this.fence.guard);
    return { submissionId };
  }

  /** The submission is approved with the text of each of its live proposals as it stands now. */
  private async currentRevisions(submissionId: string) {
    const proposals = await this.db.query<{ id: string }>(
      `SELECT id FROM rm_proposals WHERE submission_id = ? AND status <> 'withdrawn' ORDER BY id`,
      [submissionId],
    );
    return Promise.all(proposals.map(async ({ id }) => ({ proposalId: id, revision: await this.content.currentRevision(id) })));
  }
}
