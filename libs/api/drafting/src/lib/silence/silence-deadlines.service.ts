import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError } from '@concord/domain';
import { WrongExpectedRevisionError } from '@concord/event-store';
import { CONCORD_CONFIG, ConcordConfig, READ_MODEL_DATABASE, ReadModelDatabase, rootLogger } from '@concord/api/platform';
import { AdoptSilenceCommand, AdoptSubmissionSilenceCommand } from './silence.commands';
import { SILENCE_CLOCK, SilenceClock } from './silence.handlers';

const logger = rootLogger.child({ context: 'SilenceDeadlines' });

/**
 * Keeps silence deadlines from the log, not from a timer: every node, at start and then every
 * SILENCE_CHECK_MS, reads the running procedures whose deadline has come (rm_proposal_silences,
 * projected from the log) and asks for their adoption through the normal command path. The
 * decider adopts only a procedure still running past its deadline, and the append expects the
 * stream revision it read: whichever node comes first records SilenceAdopted, every other attempt
 * (another node, a node restarted after a crash, a read model not yet showing the adoption) is
 * refused and logged at debug. Nothing is held in memory between checks, so a crash loses nothing.
 */
@Injectable()
export class SilenceDeadlines implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;

  constructor(
    private readonly commandBus: CommandBus,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(CONCORD_CONFIG) private readonly config: Pick<ConcordConfig, 'silence'>,
    @Inject(SILENCE_CLOCK) private readonly clock: SilenceClock,
  ) {}

  onApplicationBootstrap(): void {
    void this.check();
    this.timer = setInterval(() => void this.check(), this.config.silence.checkMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.checking;
  }

  /** One pass (never two at once on a node): adopt every running procedure whose deadline has come. */
  check(): Promise<void> {
    this.checking ??= this.adoptDue().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async adoptDue(): Promise<void> {
    const now = this.clock().toISOString();
    await this.adoptEach(
      'proposal',
      `SELECT silence_id, proposal_id AS subject_id, deadline FROM rm_proposal_silences WHERE status = 'running' AND deadline <= ? ORDER BY deadline`,
      now,
      (row) => new AdoptSilenceCommand(row.subject_id, row.silence_id),
    );
    await this.adoptEach(
      'submission',
      `SELECT silence_id, submission_id AS subject_id, deadline FROM rm_submission_silences WHERE status = 'running' AND deadline <= ? ORDER BY deadline`,
      now,
      (row) => new AdoptSubmissionSilenceCommand(row.subject_id, row.silence_id),
    );
  }

  private async adoptEach(
    subject: 'proposal' | 'submission',
    query: string,
    now: string,
    commandOf: (row: DueSilence) => AdoptSilenceCommand | AdoptSubmissionSilenceCommand,
  ): Promise<void> {
    let due: DueSilence[];
    try {
      due = await this.db.query<DueSilence>(query, [now]);
    } catch (error) {
      logger.warn({ err: error, subject }, 'could not read the running silence procedures');
      return;
    }
    for (const row of due) {
      const ids = { [`${subject}Id`]: row.subject_id, silenceId: row.silence_id };
      try {
        const { adopted } = await this.commandBus.execute(commandOf(row));
        if (adopted) logger.info({ ...ids, deadline: row.deadline }, `silence procedure on a ${subject} adopted at its deadline`);
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError || error instanceof DomainError) {
          // Another node adopted it (or it was broken or withdrawn just before): the log decided.
          logger.debug({ ...ids, reason: error.message }, 'silence adoption not recorded by this node');
        } else {
          logger.error({ err: error, ...ids }, 'could not adopt a silence procedure');
        }
      }
    }
  }
}

interface DueSilence {
  silence_id: string;
  subject_id: string;
  deadline: string;
}
