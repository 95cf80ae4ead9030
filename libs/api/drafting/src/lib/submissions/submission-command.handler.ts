import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import {
  ProposalApprovalState,
  proposalDecider,
  proposalStream,
  SubmissionCommand,
  submissionDecider,
  submissionStream,
} from '@concord/domain';
import { EVENT_STORE, EventStore } from '@concord/event-store';
import {
  CommandExecutor,
  CONTENT_FENCE,
  CONTENT_HISTORY,
  ContentFence,
  ContentHistory,
  loadAggregate,
  READ_MODEL_DATABASE,
  ReadModelDatabase,
} from '@concord/api/platform';
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
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ principal, action }: ActOnSubmissionCommand): Promise<{ submissionId: string }> {
    const submissionId = action.type === 'OpenSubmission' ? (action.submissionId ?? randomUUID()) : action.submissionId;
    const iscmId = action.type === 'OpenSubmission' ? action.iscmId : (await this.context.submission(submissionId, principal)).iscmId;
    const actor = await this.context.actorIn(iscmId, principal);
    let command: SubmissionCommand;
    switch (action.type) {
      case 'OpenSubmission':
        command = { type: 'OpenSubmission', data: { submissionId, iscmId, consultation: action.consultation, title: action.title, dueDate: action.dueDate, actor } };
        break;
      case 'ApproveSubmission':
        command = { type: 'ApproveSubmission', data: { submissionId, actor, proposals: await this.proposalsOf(submissionId) } };
        break;
      default:
        command = { type: action.type, data: { submissionId, actor } };
    }
    // The fence closes content writes in the log before a lock is recorded.
    await this.commands.execute(submissionStream(submissionId), submissionDecider, command, principal.userId, undefined, this.fence.guard);
    return { submissionId };
  }

  /**
   * Each proposal of the submission as it stands now, read from its own stream and text rather than
   * from the read model's debounced stale flag: the submission is approved with the newest revision
   * of each, which must be the text the chair approved (same content hash).
   */
  private async proposalsOf(submissionId: string): Promise<ProposalApprovalState[]> {
    const rows = await this.db.query<{ id: string }>('SELECT id FROM rm_proposals WHERE submission_id = ? ORDER BY title, id', [
      submissionId,
    ]);
    const proposals = await Promise.all(rows.map(({ id }) => this.approvalStateOf(id)));
    return proposals.filter((proposal): proposal is ProposalApprovalState => proposal !== null);
  }

  private async approvalStateOf(proposalId: string): Promise<ProposalApprovalState | null> {
    const [{ state }, revision] = await Promise.all([
      loadAggregate(this.store, proposalStream(proposalId), proposalDecider),
      this.content.currentRevision(proposalId),
    ]);
    if (state.status === 'none') return null;
    const { approval } = state;
    const approvalCurrent =
      state.status === 'approved' &&
      approval !== null &&
      (approval.revision === revision || (await this.content.contentHashAt(proposalId, revision)) === approval.contentHash);
    return { proposalId, title: state.details.title, status: state.status, revision, approvalCurrent };
  }
}
