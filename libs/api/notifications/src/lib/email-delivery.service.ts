import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NOTIFICATION_KIND_LABELS, type NotificationKind } from '@concord/contracts';
import { randomUUID } from 'node:crypto';
import { mailStream } from '@concord/domain';
import { EVENT_STORE, EventStore, WrongExpectedRevisionError } from '@concord/event-store';
import { CONCORD_CONFIG, ConcordConfig, Mailer, READ_MODEL_DATABASE, ReadModelDatabase, rootLogger } from '@concord/api/platform';

const log = rootLogger.child({ context: 'EmailDelivery' });

const MAX_ATTEMPTS = 8;
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 60 * 60_000;
/** A claim with no outcome this long after it was taken was lost with its node: it may be taken again. */
const LOST_CLAIM_MS = 10 * 60_000;
/** Notifications older than this are never mailed (e.g. after the notifications are first derived from an old log). */
const MAX_AGE_MS = 24 * 60 * 60_000;

export interface EmailDeliverySettings {
  /** MAIL_CHECK_MS (default 1000): how often each node looks for mail to send. */
  readonly checkMs: number;
  /** DIGEST_HOUR_UTC (default 7): from this hour on, each day's digest is sent. */
  readonly digestHourUtc: number;
}

export function emailDeliverySettingsFrom(env: NodeJS.ProcessEnv): EmailDeliverySettings {
  const whole = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return value;
  };
  return { checkMs: whole('MAIL_CHECK_MS', 1_000, 50, 3_600_000), digestHourUtc: whole('DIGEST_HOUR_UTC', 7, 0, 23) };
}

export const EMAIL_DELIVERY_SETTINGS = Symbol('EMAIL_DELIVERY_SETTINGS');

interface MailRow {
  id: string;
  recipient_id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  link: string;
}

interface Composed {
  readonly subject: string;
  readonly text: string;
  readonly notificationIds: readonly string[];
}

const digestMailId = (userId: string, day: string) => `digest-${userId}-${day}`;

/**
 * Sends each notification its recipient chose to get by email at once, and each day's digest,
 * exactly once across nodes. Every node runs this; a mail is claimed before it is sent by appending
 * `MailClaimed` to its own stream `mail-<mailId>` expecting the revision read — no stream for a
 * first attempt —, so of two nodes only one appends and sends; the other's append fails and it
 * skips. The claim is in the log, not in a table, so it holds whether the nodes share their read
 * models or each keep their own. After sending, `MailSent`; on an SMTP failure `MailFailed` with the
 * next attempt's time (back-off 5 s doubling to 1 h, 8 attempts), claimed again the same way by
 * whichever node comes first; a claim with no outcome after 10 minutes (its node died) is taken
 * again. The notifications projection keeps these states in `rm_notify_mails`.
 */
@Injectable()
export class EmailDelivery implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly mailer: Mailer,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONCORD_CONFIG) private readonly config: Pick<ConcordConfig, 'nodeId'>,
    @Inject(EMAIL_DELIVERY_SETTINGS) private readonly settings: EmailDeliverySettings,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.mailer.enabled) return;
    void this.pass();
    this.timer = setInterval(() => void this.pass(), this.settings.checkMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass (never two at once on a node). */
  pass(): Promise<void> {
    this.running ??= this.deliver().finally(() => (this.running = undefined));
    return this.running;
  }

  private async deliver(): Promise<void> {
    try {
      await this.immediate();
      await this.retries();
      await this.digests();
    } catch (error) {
      log.warn({ err: error }, 'email delivery pass failed; the next pass tries again');
    }
  }

  private async immediate(): Promise<void> {
    const rows = await this.db.query<MailRow>(
      `SELECT n.id, n.recipient_id, n.kind, n.title, n.body, n.link FROM rm_notifications n
       LEFT JOIN rm_notify_mails m ON m.mail_id = n.id
       WHERE n.email = 'immediate' AND m.mail_id IS NULL AND n.at >= ? ORDER BY n.position LIMIT 100`,
      [new Date(Date.now() - MAX_AGE_MS).toISOString()],
    );
    for (const row of rows) {
      await this.attempt(row.id, 'email', row.recipient_id, 'no_stream', 1, async () => this.notificationMail(row));
    }
  }

  private async retries(): Promise<void> {
    const now = Date.now();
    const due = await this.db.query<{ mail_id: string; channel: 'email' | 'digest'; recipient_id: string; attempt: number | string; revision: number | string }>(
      `SELECT mail_id, channel, recipient_id, attempt, revision FROM rm_notify_mails
       WHERE (status = 'failed' AND retry_at <= ?) OR (status = 'claimed' AND claimed_at < ?) LIMIT 100`,
      [new Date(now).toISOString(), new Date(now - LOST_CLAIM_MS).toISOString()],
    );
    for (const row of due) {
      const compose =
        row.channel === 'digest'
          ? () => this.digestMail(row.recipient_id, row.mail_id.slice(-10))
          : async () => {
              const [notification] = await this.db.query<MailRow>('SELECT id, recipient_id, kind, title, body, link FROM rm_notifications WHERE id = ?', [row.mail_id]);
              return notification ? this.notificationMail(notification) : null;
            };
      await this.attempt(row.mail_id, row.channel, row.recipient_id, Number(row.revision), Number(row.attempt) + 1, compose);
    }
  }

  /** From DIGEST_HOUR_UTC on, once per user and day: their unread digest notifications of the last 24 hours. */
  private async digests(): Promise<void> {
    const now = new Date();
    if (now.getUTCHours() < this.settings.digestHourUtc) return;
    const day = now.toISOString().slice(0, 10);
    const users = await this.db.query<{ recipient_id: string }>(
      `SELECT DISTINCT n.recipient_id FROM rm_notifications n LEFT JOIN rm_notify_mails m ON m.mail_id = 'digest-' || n.recipient_id || '-' || ?
       WHERE n.email = 'digest' AND n.is_read = 0 AND n.at >= ? AND m.mail_id IS NULL`,
      [day, new Date(now.getTime() - MAX_AGE_MS).toISOString()],
    );
    for (const { recipient_id: userId } of users) {
      await this.attempt(digestMailId(userId, day), 'digest', userId, 'no_stream', 1, () => this.digestMail(userId, day));
    }
  }

  private notificationMail(row: MailRow): Composed {
    return {
      subject: `[Concord] ${row.title}`,
      text:
        `${row.body}\n\nOpen: ${this.mailer.link(row.link)}\n\n—\n` +
        `You get this because of your Concord notification settings (${NOTIFICATION_KIND_LABELS[row.kind]}: email at once).\n` +
        `Change them on your account page: ${this.mailer.link('/account')}\n`,
      notificationIds: [row.id],
    };
  }

  private async digestMail(userId: string, day: string): Promise<Composed | null> {
    const since = new Date(Date.parse(`${day}T${String(this.settings.digestHourUtc).padStart(2, '0')}:00:00Z`) - MAX_AGE_MS).toISOString();
    const rows = await this.db.query<MailRow>(
      `SELECT id, recipient_id, kind, title, body, link FROM rm_notifications
       WHERE recipient_id = ? AND email = 'digest' AND is_read = 0 AND at >= ? ORDER BY position`,
      [userId, since],
    );
    if (rows.length === 0) return null;
    const lines = rows.map((row) => `• ${row.title}\n  ${row.body}\n  ${this.mailer.link(row.link)}`);
    return {
      subject: `[Concord] Your daily digest: ${rows.length} notification${rows.length === 1 ? '' : 's'}`,
      text:
        `Unread notifications you chose to get in the daily digest (${day}):\n\n${lines.join('\n\n')}\n\n—\n` +
        `Change your settings on your account page: ${this.mailer.link('/account')}\n`,
      notificationIds: rows.map((row) => row.id),
    };
  }

  /** Claims one attempt (false: another node has it), sends, and records the outcome. */
  private async attempt(
    mailId: string,
    channel: 'email' | 'digest',
    userId: string,
    expectedRevision: number | 'no_stream',
    attempt: number,
    compose: () => Promise<Composed | null>,
  ): Promise<void> {
    const [user] = await this.db.query<{ email: string; disabled: number | string }>('SELECT email, disabled FROM rm_users WHERE id = ?', [userId]);
    const mail = user && !Number(user.disabled) ? await compose() : null;
    const stream = mailStream(mailId);
    const event = (type: string, data: Record<string, unknown>) => ({ id: randomUUID(), type, data: data as never, metadata: { userId: 'system' } });
    try {
      await this.store.append(
        stream,
        [event('MailClaimed', { mailId, channel, recipientId: userId, notificationIds: mail?.notificationIds ?? [], attempt, node: this.config.nodeId })],
        { expectedRevision },
      );
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return; // another node claimed it first
      throw error;
    }
    if (!user || !mail) {
      await this.store.append(stream, [event('MailFailed', { mailId, attempt, error: 'No enabled account, or nothing left to send.', retryAt: null })]);
      log.info({ mailId, userId }, 'mail not sent: no enabled account or nothing left to send');
      return;
    }
    try {
      await this.mailer.send({ to: user.email, subject: mail.subject, text: mail.text });
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      const retryAt = attempt >= MAX_ATTEMPTS ? null : new Date(Date.now() + Math.min(FIRST_RETRY_MS * 2 ** (attempt - 1), MAX_RETRY_MS)).toISOString();
      await this.store.append(stream, [event('MailFailed', { mailId, attempt, error: message, retryAt })]);
      if (retryAt) log.warn({ mailId, channel, userId, attempt, retryAt, error: message }, 'mail failed; will retry');
      else log.error({ mailId, channel, userId, attempt, error: message }, 'mail failed; giving up');
      return;
    }
    await this.store.append(stream, [event('MailSent', { mailId, attempt })]);
    log.info({ mailId, channel, userId, subject: mail.subject, attempt }, 'mail sent');
  }
}
