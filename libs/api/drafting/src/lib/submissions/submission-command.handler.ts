import { ConflictException, Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import {
  CirculatedText,
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
  AppendGuard,
  CommandExecutor,
  CONCORD_CONFIG,
  ConcordConfig,
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
import { SILENCE_CLOCK, SilenceClock } from '../silence/silence.handlers';
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
    @Inject(CONCORD_CONFIG) private readonly config: Pick<ConcordConfig, 'silence'>,
    @Inject(SILENCE_CLOCK) private readonly clock: SilenceClock,
  ) {}

  async execute({ principal, action }: ActOnSubmissionCommand): Promise<{ submissionId: string }> {
    const submissionId = action.type === 'OpenSubmission' ? (action.submissionId ?? randomUUID()) : action.submissionId;
    const facts = action.type === 'OpenSubmission' ? null : await this.context.submission(submissionId, principal);
    const iscmId = action.type === 'OpenSubmission' ? action.iscmId : (facts?.iscmId as string);
    const actor = await this.context.actorIn(iscmId, principal);
    let command: SubmissionCommand;
    let guard: AppendGuard = this.fence.guard;
    const now = () => this.clock().toISOString();
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
      case 'StartSubmissionSilence': {
        const texts = await this.textsOf(submissionId);
        command = {
          type: 'StartSubmissionSilence',
          data: {
            submissionId,
            silenceId: randomUUID(),
            deadline: action.deadline,
            texts,
            proposalSilences: await this.proposalSilencesIn(submissionId),
            now: now(),
            minLeadMs: this.config.silence.minLeadMs,
            actor,
          },
        };
        guard = this.freezing(texts);
        break;
      }
      case 'ObjectToSubmissionSilence': {
        const [member] = await this.db.query<{ member_state: string | null }>(
          `SELECT member_state FROM rm_members WHERE iscm_id = ? AND user_id = ? AND role = 'delegate'`,
          [iscmId, principal.userId],
        );
        command = { type: 'ObjectToSubmissionSilence', data: { submissionId, reason: action.reason, memberState: member?.member_state ?? null, now: now(), actor } };
        break;
      }
      case 'VoidSubmissionSilence':
        command = { type: 'VoidSubmissionSilence', data: { submissionId, reason: action.reason ?? null, now: now(), actor } };
        break;
      default:
        command = { type: action.type, data: { submissionId, actor } };
    }
    // The fence closes content writes in the log before a lock (or a silence procedure) is recorded.
    await this.commands.execute(submissionStream(submissionId), submissionDecider, command, principal.userId, undefined, guard);
    return { submissionId };
  }

  /** Every proposal still in the submission, at its newest revision with that revision's content hash. */
  private async textsOf(submissionId: string): Promise<CirculatedText[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM rm_proposals WHERE submission_id = ? AND status <> 'withdrawn' ORDER BY created_at, id`,
      [submissionId],
    );
    return Promise.all(
      rows.map(async ({ id }) => {
        const revision = await this.content.currentRevision(id);
        return { proposalId: id, revision, contentHash: await this.content.contentHashAt(id, revision) };
      }),
    );
  }

  /** The titles of the submission's proposals that run a silence procedure of their own. */
  private async proposalSilencesIn(submissionId: string): Promise<string[]> {
    const rows = await this.db.query<{ title: string }>(
      `SELECT p.title FROM rm_proposal_silences s JOIN rm_proposals p ON p.id = s.proposal_id
       WHERE p.submission_id = ? AND s.status = 'running' ORDER BY p.title`,
      [submissionId],
    );
    return rows.map((row) => row.title);
  }

  /**
   * As for one proposal's silence: the fence closes writes to every text before the procedure is
   * recorded; then each text must still be at the revision circulated (an edit could have landed
   * between reading it and the fence) — else the fence is lifted and nothing is recorded (409).
   */
  private freezing(texts: readonly CirculatedText[]): AppendGuard {
    return async (events, context) => {
      const fenced = await this.fence.guard(events, context);
      for (const text of texts) {
        const current = await this.content.currentRevision(text.proposalId);
        if (current !== text.revision) {
          await fenced?.failed?.();
          throw new ConflictException(`A text of the submission changed while it was being circulated (now revision ${current}, was ${text.revision}); circulate it again.`);
        }
      }
      return fenced;
    };
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
