/**
 * Notifications (issue 14 §5): the kinds, in the order the preferences list them. One list, used by
 * the derivation (libs/api/notifications), the preferences, the web and, later, webhooks.
 */
export const NOTIFICATION_KINDS = [
  'review-requested',
  'changes-requested',
  'approved',
  'approval-stale',
  'mention',
  'thread-reply',
  'suggestion-decided',
  'silence-started',
  'silence-broken',
  'silence-adopted',
  'deadline-soon',
  'invitation',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_KIND_LABELS: Readonly<Record<NotificationKind, string>> = {
  'review-requested': 'Review requested',
  'changes-requested': 'Changes requested',
  approved: 'Approved',
  'approval-stale': 'Approval stale (text changed)',
  mention: 'Mentioned in a comment',
  'thread-reply': 'Reply to a thread I am in',
  'suggestion-decided': 'My suggestion accepted or rejected',
  'silence-started': 'Silence procedure started',
  'silence-broken': 'Silence broken',
  'silence-adopted': 'Adopted by silence',
  'deadline-soon': 'Deadline in 24 hours',
  invitation: 'Added to a workspace',
};

export const EMAIL_MODES = ['off', 'immediate', 'digest'] as const;
export type EmailMode = (typeof EMAIL_MODES)[number];

export interface NotificationPreferenceDto {
  inApp: boolean;
  email: EmailMode;
}
export type NotificationPreferencesDto = Record<NotificationKind, NotificationPreferenceDto>;

const IMMEDIATE_BY_DEFAULT: ReadonlySet<NotificationKind> = new Set<NotificationKind>([
  'review-requested', 'changes-requested', 'approved', 'silence-started', 'silence-broken', 'silence-adopted', 'mention', 'invitation',
]);

/** In-app all on; email at once for what asks something of the reader, off for the rest. */
export const DEFAULT_NOTIFICATION_PREFERENCES: Readonly<NotificationPreferencesDto> = Object.fromEntries(
  NOTIFICATION_KINDS.map((kind) => [kind, { inApp: true, email: IMMEDIATE_BY_DEFAULT.has(kind) ? 'immediate' : 'off' }]),
) as NotificationPreferencesDto;

export interface NotificationDto {
  id: string;
  kind: NotificationKind;
  iscmId: string;
  proposalId: string | null;
  submissionId: string | null;
  threadId: string | null;
  title: string;
  body: string;
  /** Path in the web app (e.g. `/proposals/<id>`). */
  link: string;
  /** When the event it comes from was recorded. */
  at: string;
  read: boolean;
}

export interface NotificationListDto {
  items: NotificationDto[];
  unreadCount: number;
  /** Pass as `before` for the next (older) page; null at the end. */
  next: string | null;
}
