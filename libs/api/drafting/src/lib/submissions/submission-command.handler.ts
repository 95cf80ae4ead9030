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
import { findConsultation } from '@concord/reference';
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
import { INTRODUCTION_KIND } from '@concord/contracts';
import { ActOnSubmissionCommand, AddSectionIntroductionCommand, SubmissionAction } from './submission.commands';

/** The ids of a consultation's guiding questions, looked up in the reference data; undefined for an unknown consultation. */
const sectionIdsOf = (consultationId: string | null | undefined): readonly string[] | undefined =>
  consultationId ? findConsultation(consultationId)?.questions.map((q) => q.id) : undefined;

type OpenAction = Extract<SubmissionAction, { type: 'OpenSubmission' }>;

/** The free-text consultation defaults to the title of the consultation named. */
const consultationTextOf = (action: OpenAction): string =>
  action.consultation ?? (action.consultationId ? findConsultation(action.consultationId)?.title : undefined) ?? '';

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
    const facts = action.type === 'OpenSubmission' ? null : await this.context.submission(submissionId, principal);
    const iscmId = action.type === 'OpenSubmission' ? action.iscmId : (facts?.iscmId as string);
    const actor = await this.context.actorIn(iscmId, principal);
    let command: SubmissionCommand;
    switch (action.type) {
      case 'OpenSubmission': {
        const { consultationId, title, dueDate } = action;
        const consultation = consultationTextOf(action);
        const known = consultationId === undefined ? {} : { consultationId, sectionIdsOfConsultation: sectionIdsOf(consultationId) };
        command = { type: 'OpenSubmission', data: { submissionId, iscmId, consultation, title, dueDate, ...known, actor } };
        break;
      }
      case 'PlaceProposal': {
        const { proposalId, sectionId, index } = action;
        command = {
          type: 'PlaceProposal',
          data: {
            submissionId,
            proposalId,
            sectionId,
            index,
            proposalInSubmission: await this.holds(submissionId, proposalId),
            sectionIdsOfConsultation: sectionIdsOf(facts?.consultationId) ?? [],
            actor,
          },
        };
        break;
      }
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

  private async holds(submissionId: string, proposalId: string): Promise<boolean> {
    const rows = await this.db.query('SELECT 1 AS one FROM rm_proposals WHERE id = ? AND submission_id = ?', [proposalId, submissionId]);
    return rows.length > 0;
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

@CommandHandler(AddSectionIntroductionCommand)
export class AddSectionIntroductionHandler implements ICommandHandler<AddSectionIntroductionCommand> {
  constructor(
    private readonly commands: CommandExecutor,
    private readonly context: DraftingContext,
  ) {}

  /**
   * Two appends, in this order: the section is claimed in the submission's stream first (a second
   * introduction, or two drafters racing, conflict there and nothing else is written), then the
   * proposal is created. What remains possible: the store fails between the two, leaving a section
   * that names a proposal that does not exist (the section then shows none, and takes no other).
   */
  async execute({ principal, submissionId, sectionId }: AddSectionIntroductionCommand): Promise<{ proposalId: string }> {
    const facts = await this.context.submission(submissionId, principal);
    const actor = await this.context.actorIn(facts.iscmId, principal);
    const questions = (facts.consultationId ? findConsultation(facts.consultationId)?.questions : undefined) ?? [];
    const proposalId = randomUUID();
    await this.commands.execute(
      submissionStream(submissionId),
      submissionDecider,
      {
        type: 'AddSectionIntroduction',
        data: { submissionId, sectionId, proposalId, sectionIdsOfConsultation: questions.map((q) => q.id), actor },
      },
      principal.userId,
    );
    const number = questions.findIndex((q) => q.id === sectionId) + 1;
    await this.commands.execute(
      proposalStream(proposalId),
      proposalDecider,
      {
        type: 'CreateProposal',
        data: {
          proposalId,
          submissionId,
          iscmId: facts.iscmId,
          title: `Introduction to section ${number}`,
          kind: INTRODUCTION_KIND,
          gcmObjectives: [],
          summary: '',
          introductionOf: sectionId,
          actor,
          submissionStatus: facts.status,
        },
      },
      principal.userId,
    );
    return { proposalId };
  }
}
