import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { reminderStream } from '@concord/domain';
import { EVENT_STORE, EventStore, WrongExpectedRevisionError } from '@concord/event-store';
import { READ_MODEL_DATABASE, ReadModelDatabase, rootLogger } from '@concord/api/platform';

const log = rootLogger.child({ context: 'DeadlineReminders' });

export interface ReminderSettings {
  /** REMINDER_CHECK_MS (default 60000): how often each node looks for deadlines. */
  readonly checkMs: number;
  /** REMINDER_LEAD_MS (default 24 h; tests shorten it): how long before a deadline its reminder is recorded. */
  readonly leadMs: number;
}
export const REMINDER_SETTINGS = Symbol('REMINDER_SETTINGS');

/** A UUID made from a name, so that every node appends the same event id for the same reminder. */
const uuidFrom = (name: string) => {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** A due date without a time is due at the end of that day (UTC). */
export const dueMoment = (dueDate: string) => (/^\d{4}-\d{2}-\d{2}$/.test(dueDate) ? `${dueDate}T23:59:59.000Z` : dueDate);



/**
 * "Deadline in 24 h", kept by the log like the silence deadlines: every node, at start and every
 * REMINDER_CHECK_MS (default 60 s), reads from the read models the running silence procedures and
 * the open submissions whose deadline is less than 24 hours away, and appends `DeadlineApproaching`
 * to that deadline's own stream `reminder-<silence|submission>-<id>` expecting no stream. The
 * first append wins; any other (another node, a later pass) finds the stream and changes nothing.
 * The notifications projection derives the reminders from that event, so each is sent once.
 */
@Injectable()
export class DeadlineReminders implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(REMINDER_SETTINGS) private readonly settings: ReminderSettings,
  ) {}

  onApplicationBootstrap(): void {
    void this.check();
    this.timer = setInterval(() => void this.check(), this.settings.checkMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  check(): Promise<void> {
    this.running ??= this.remind().finally(() => (this.running = undefined));
    return this.running;
  }

  private async remind(): Promise<void> {
    const now = new Date();
    const lead = this.settings.leadMs;
    const soon = new Date(now.getTime() + lead).toISOString();
    /** Only deadlines set further ahead than the lead are reminded of: a nearer one was just announced. */
    const givenTheLead = (setAt: string, deadline: string) => Date.parse(deadline) - Date.parse(setAt) > lead;
    try {
      const silences = await this.db.query<{ silence_id: string; proposal_id: string; iscm_id: string; submission_id: string; deadline: string; started_at: string }>(
        `SELECT s.silence_id, s.proposal_id, p.iscm_id, p.submission_id, s.deadline, s.started_at FROM rm_proposal_silences s JOIN rm_proposals p ON p.id = s.proposal_id
         WHERE s.status = 'running' AND s.deadline > ? AND s.deadline <= ?`,
        [now.toISOString(), soon],
      );
      for (const s of silences) {
        if (!givenTheLead(s.started_at, s.deadline)) continue;
        await this.append('silence', s.silence_id, {
          iscmId: s.iscm_id, subject: 'silence', proposalId: s.proposal_id, silenceId: s.silence_id, submissionId: s.submission_id, deadline: s.deadline,
        });
      }
      const submissions = await this.db.query<{ id: string; iscm_id: string; due_date: string; opened_at: string }>(
        `SELECT id, iscm_id, due_date, opened_at FROM rm_submissions WHERE status IN ('drafting', 'review')`,
      );
      for (const s of submissions) {
        const due = dueMoment(s.due_date);
        const at = Date.parse(due);
        if (Number.isNaN(at) || at <= now.getTime() || at > now.getTime() + lead || !givenTheLead(s.opened_at, due)) continue;
        await this.append('submission', s.id, { iscmId: s.iscm_id, subject: 'submission', submissionId: s.id, deadline: due });
      }
    } catch (error) {
      log.warn({ err: error }, 'could not look for deadlines within 24 hours; the next pass tries again');
    }
  }

  private async append(subject: 'silence' | 'submission', id: string, data: Record<string, string>): Promise<void> {
    const stream = reminderStream(subject, id);
    if ((await this.store.streamRevision(stream)) >= 0) return;
    try {
      await this.store.append(stream, [{ id: uuidFrom(stream), type: 'DeadlineApproaching', data, metadata: { userId: 'system' } }], { expectedRevision: 'no_stream' });
      log.info({ subject, id, deadline: data['deadline'] }, 'deadline within 24 hours: reminder recorded');
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return; // another node recorded it first
      throw error;
    }
  }
}
