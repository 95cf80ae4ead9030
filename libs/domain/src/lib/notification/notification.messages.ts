import type { Event } from '../shared/decider';

/**
 * Notifications (issue 14 §5). The notifications themselves are derived from other events by one
 * projection; what a user does with them is recorded in their own stream `notifications-<userId>`:
 * which they have read, and what reaches them how. Reminders of deadlines are recorded once per
 * deadline in `reminders-<subject>-<id>` (appended expecting no stream, so once across nodes).
 */
/** `ids` read, or every notification of that user derived from an event at or before `upToPosition`. */
export type NotificationsRead = Event<'NotificationsRead', { userId: string; ids?: readonly string[]; upToPosition?: number }>;
/** The whole set of choices per kind (kinds left out keep the defaults). */
export type NotificationPreferencesChanged = Event<
  'NotificationPreferencesChanged',
  { userId: string; preferences: Readonly<Record<string, { inApp: boolean; email: 'off' | 'immediate' | 'digest' }>> }
>;
/** A deadline is less than 24 hours away: a silence procedure's, or a submission's due date. */
export type DeadlineApproaching = Event<
  'DeadlineApproaching',
  { iscmId: string; subject: 'silence' | 'submission'; proposalId?: string; silenceId?: string; submissionId: string | null; deadline: string }
>;
/**
 * One mail's delivery, in its own stream `mail-<mailId>` (a notification's id, or
 * `digest-<userId>-<day>`): a node claims it by appending MailClaimed expecting the revision it
 * read (no stream for a first attempt), so that exactly one node sends each attempt, whatever the
 * read models' layout; then MailSent, or MailFailed with the time of the next attempt (null: given up).
 */
export type MailClaimed = Event<
  'MailClaimed',
  { mailId: string; channel: 'email' | 'digest'; recipientId: string; notificationIds: readonly string[]; attempt: number; node: string }
>;
export type MailSent = Event<'MailSent', { mailId: string; attempt: number }>;
export type MailFailed = Event<'MailFailed', { mailId: string; attempt: number; error: string; retryAt: string | null }>;
export type NotificationEvent = NotificationsRead | NotificationPreferencesChanged | DeadlineApproaching | MailClaimed | MailSent | MailFailed;
