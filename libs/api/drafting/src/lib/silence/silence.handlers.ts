import { ConflictException, Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { ProposalCommand, proposalDecider, proposalStream, submissionDecider, submissionStream } from '@concord/domain';
import {
  AppendGuard,
  CONCORD_CONFIG,
  CONTENT_FENCE,
  CONTENT_HISTORY,
  CommandExecutor,
  ConcordConfig,
  ContentFence,
  ContentHistory,
  READ_MODEL_DATABASE,
  ReadModelDatabase,
} from '@concord/api/platform';
import { DraftingContext } from '../proposals/proposal-context.service';
import { ActOnSilenceCommand, AdoptSilenceCommand, AdoptSubmissionSilenceCommand } from './silence.commands';

/** The clock silence commands are decided with (a provider, so tests of the handlers could set it). */
export const SILENCE_CLOCK = Symbol('SILENCE_CLOCK');
export type SilenceClock = () => Date;

/** The user the log attributes an adoption to: nobody decided it, the deadline did. */
export const SILENCE_DEADLINE_USER = 'system';

@CommandHandler(ActOnSilenceCommand)
export class ActOnSilenceHandler implements ICommandHandler<ActOnSilenceCommand> {
  constructor(
    private readonly commands: CommandExecutor,
    private readonly context: DraftingContext,
    @Inject(CONTENT_FENCE) private readonly fence: ContentFence,
    @Inject(CONTENT_HISTORY) private readonly content: ContentHistory,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(CONCORD_CONFIG) private readonly config: Pick<ConcordConfig, 'silence'>,
    @Inject(SILENCE_CLOCK) private readonly clock: SilenceClock,
  ) {}

  async execute({ proposalId, principal, action }: ActOnSilenceCommand): Promise<void> {
    const facts = await this.context.proposal(proposalId, principal);
    const base = { proposalId, actor: facts.actor, submissionStatus: facts.submissionStatus, now: this.clock().toISOString() };
    let command: ProposalCommand;
    let guard: AppendGuard = this.fence.guard;
    switch (action.type) {
      case 'StartSilence': {
        await this.context.requireNotCirculated(facts.submissionId, 'a silence procedure of its own can be started');
        const { revision } = action;
        const inRange = Number.isInteger(revision) && revision >= 0 && revision <= facts.currentRevision;
        command = {
          type: 'StartSilence',
          data: {
            ...base,
            currentRevision: facts.currentRevision,
            silenceId: randomUUID(),
            revision,
            contentHash: inRange ? await this.context.contentHashAt(proposalId, revision) : '',
            deadline: action.deadline,
            minLeadMs: this.config.silence.minLeadMs,
          },
        };
        guard = this.freezing(proposalId, revision);
        break;
      }
      case 'ObjectToSilence': {
        const [member] = await this.db.query<{ member_state: string | null }>(
          `SELECT member_state FROM rm_members WHERE iscm_id = ? AND user_id = ? AND role = 'delegate'`,
          [facts.iscmId, principal.userId],
        );
        command = { type: 'ObjectToSilence', data: { ...base, reason: action.reason, memberState: member?.member_state ?? null } };
        break;
      }
      case 'VoidSilence':
        command = { type: 'VoidSilence', data: { ...base, reason: action.reason ?? null } };
        break;
    }
    await this.commands.execute(proposalStream(proposalId), proposalDecider, command, principal.userId, undefined, guard);
  }

  /**
   * The fence closes writes before SilenceStarted is recorded; then the text must still be the
   * revision circulated (an edit could have landed between reading it and the fence): if it moved
   * on, the fence is lifted and nothing is recorded (409).
   */
  private freezing(proposalId: string, revision: number): AppendGuard {
    return async (events, context) => {
      const fenced = await this.fence.guard(events, context);
      const current = await this.content.currentRevision(proposalId);
      if (current !== revision) {
        await fenced?.failed?.();
        throw new ConflictException(`The text changed while the silence procedure was being started (now revision ${current}); circulate revision ${current} instead.`);
      }
      return fenced;
    };
  }
}

/**
 * Adopts a silence whose deadline has come, through the normal command path: the stream is read,
 * the decider refuses unless the procedure still runs and the deadline has passed, and the event
 * is appended expecting the revision read, so of several nodes deciding at once exactly one
 * appends (the others get WrongExpectedRevision, or a refusal once they read the adoption).
 */
@CommandHandler(AdoptSilenceCommand)
export class AdoptSilenceHandler implements ICommandHandler<AdoptSilenceCommand> {
  constructor(
    private readonly commands: CommandExecutor,
    @Inject(CONTENT_FENCE) private readonly fence: ContentFence,
    @Inject(SILENCE_CLOCK) private readonly clock: SilenceClock,
  ) {}

  async execute({ proposalId, silenceId }: AdoptSilenceCommand): Promise<{ adopted: boolean }> {
    const outcome = await this.commands.execute(
      proposalStream(proposalId),
      proposalDecider,
      { type: 'AdoptSilence', data: { proposalId, silenceId, now: this.clock().toISOString() } },
      SILENCE_DEADLINE_USER,
      undefined,
      this.fence.guard,
    );
    return { adopted: outcome.events.length > 0 };
  }
}

/** As AdoptSilenceHandler, for a whole submission circulated under silence (its own stream decides once). */
@CommandHandler(AdoptSubmissionSilenceCommand)
export class AdoptSubmissionSilenceHandler implements ICommandHandler<AdoptSubmissionSilenceCommand> {
  constructor(
    private readonly commands: CommandExecutor,
    @Inject(CONTENT_FENCE) private readonly fence: ContentFence,
    @Inject(SILENCE_CLOCK) private readonly clock: SilenceClock,
  ) {}

  async execute({ submissionId, silenceId }: AdoptSubmissionSilenceCommand): Promise<{ adopted: boolean }> {
    const outcome = await this.commands.execute(
      submissionStream(submissionId),
      submissionDecider,
      { type: 'AdoptSubmissionSilence', data: { submissionId, silenceId, now: this.clock().toISOString() } },
      SILENCE_DEADLINE_USER,
      undefined,
      this.fence.guard,
    );
    return { adopted: outcome.events.length > 0 };
  }
}
