import { hmacSha256Hex } from '@concord/integrity';
import { normalizeEmail } from './user/email';

/**
 * The catalog of stream names: every stream of the log is named here and nowhere else (ARCHITECTURE
 * §3). Builders make a name from an id; `parseStream` says which stream a name is, for the
 * projections and subscriptions that sort events by stream; `STREAM_PREFIXES` are the prefixes a
 * store subscription filters on.
 */
export const STREAM_PREFIXES = {
  user: 'user-',
  emailReservation: 'user-email-',
  session: 'session-',
  workspace: 'iscm-',
  submission: 'submission-',
  /** A proposal's domain stream, and also its content, snapshot, thread and suggestion streams (same prefix). */
  proposal: 'proposal-',
  /** A user's reading of their notifications and their choices (NotificationsRead, NotificationPreferencesChanged). */
  notifications: 'notifications-',
  /** One stream per deadline reminded of (DeadlineApproaching), so that it is recorded once. */
  reminder: 'reminder-',
  /** One stream per mail sent (MailClaimed, MailSent, MailFailed): the claim that makes it sent once. */
  mail: 'mail-',
} as const;

const CONTENT_SUFFIX = '-content';
const SNAPSHOTS_SUFFIX = '-snapshots';
const THREADS_SUFFIX = '-threads';
const SUGGESTIONS_SUFFIX = '-suggestions';
const EXPORTS_SUFFIX = '-exports';

/** The signed checkpoints of the whole log (Ed25519 over a Merkle root): one stream, not per entity. */
export const SIGNED_CHECKPOINT_STREAM = 'audit-checkpoints';

function streamOf(prefix: string, id: string, suffix = ''): string {
  if (typeof id !== 'string' || id === '') {
    throw new TypeError(`A ${prefix}… stream needs a non-empty id.`);
  }
  return `${prefix}${id}${suffix}`;
}

export const userStream = (userId: string) => streamOf(STREAM_PREFIXES.user, userId);
/**
 * The stream that reserves an email address: named by an HMAC of the normalised address under the
 * deployment's stream key (STREAM_KEY), so that a stream name — in exports, checkpoints, logs —
 * does not let anyone test a guessed address. (Before issue 9 it was an unsalted sha256: see
 * `legacy/email-reservation-v1.ts` and the import's migration.)
 */
export const emailReservationStream = (email: string, streamKey: string) => {
  if (typeof streamKey !== 'string' || streamKey.length < 16) throw new TypeError('An email reservation stream needs the stream key.');
  return streamOf(STREAM_PREFIXES.emailReservation, hmacSha256Hex(streamKey, `email-reservation:${normalizeEmail(email)}`));
};
/** One stream per sign-in session: started, ended (refresh rotations are not events, see SessionService). */
export const sessionStream = (sessionId: string) => streamOf(STREAM_PREFIXES.session, sessionId);
export const workspaceStream = (iscmId: string) => streamOf(STREAM_PREFIXES.workspace, iscmId);
export const submissionStream = (submissionId: string) => streamOf(STREAM_PREFIXES.submission, submissionId);
/** The documents exported from a submission or its proposals (`DocumentExported`). */
export const submissionExportsStream = (submissionId: string) => streamOf(STREAM_PREFIXES.submission, submissionId, EXPORTS_SUFFIX);
export const proposalStream = (proposalId: string) => streamOf(STREAM_PREFIXES.proposal, proposalId);
/** A proposal's text: every accepted Yjs update (ContentUpdated) and the write fences (ContentAccessChanged). */
export const proposalContentStream = (proposalId: string) => streamOf(STREAM_PREFIXES.proposal, proposalId, CONTENT_SUFFIX);
/** Snapshots of a proposal's Yjs document (full state after revision r), kept apart from its content stream. */
export const proposalSnapshotStream = (proposalId: string) => streamOf(STREAM_PREFIXES.proposal, proposalId, SNAPSHOTS_SUFFIX);
/** The comment threads on a proposal's text (ThreadOpened, ThreadReplied, ThreadResolved, ThreadReopened). */
export const proposalThreadsStream = (proposalId: string) => streamOf(STREAM_PREFIXES.proposal, proposalId, THREADS_SUFFIX);
/** The suggestions of a proposal's text, derived by the server from its content stream (SuggestionMade, …Accepted, …). */
export const proposalSuggestionsStream = (proposalId: string) => streamOf(STREAM_PREFIXES.proposal, proposalId, SUGGESTIONS_SUFFIX);

/** A user's notification reads and preferences. */
export const notificationsStream = (userId: string) => streamOf(STREAM_PREFIXES.notifications, userId);
/** The reminder of one deadline (`silence-<silenceId>` or `submission-<submissionId>`): appended expecting no stream. */
export const reminderStream = (subject: 'silence' | 'submission', id: string) => streamOf(STREAM_PREFIXES.reminder, `${subject}-${id}`);

/** The delivery of one mail (a notification's id, or `digest-<userId>-<day>`). */
export const mailStream = (mailId: string) => streamOf(STREAM_PREFIXES.mail, mailId);

export type StreamKind =
  | 'user'
  | 'email-reservation'
  | 'session'
  | 'workspace'
  | 'submission'
  | 'proposal'
  | 'proposal-content'
  | 'proposal-snapshots'
  | 'proposal-threads'
  | 'proposal-suggestions'
  | 'submission-exports'
  | 'signed-checkpoints'
  | 'notifications'
  | 'reminder'
  | 'mail';

export interface ParsedStream {
  readonly kind: StreamKind;
  /** The entity the stream belongs to (for a proposal's content or snapshots: the proposal); '' for signed checkpoints. */
  readonly id: string;
}

/** Which stream a name is, or null for a name the catalog does not make. */
export function parseStream(stream: string): ParsedStream | null {
  if (stream === SIGNED_CHECKPOINT_STREAM) return { kind: 'signed-checkpoints', id: '' };
  const after = (prefix: string) => (stream.startsWith(prefix) && stream.length > prefix.length ? stream.slice(prefix.length) : null);
  const proposal = after(STREAM_PREFIXES.proposal);
  if (proposal !== null) {
    for (const [suffix, kind] of [
      [CONTENT_SUFFIX, 'proposal-content'],
      [SNAPSHOTS_SUFFIX, 'proposal-snapshots'],
      [THREADS_SUFFIX, 'proposal-threads'],
      [SUGGESTIONS_SUFFIX, 'proposal-suggestions'],
    ] as const) {
      if (proposal.endsWith(suffix) && proposal.length > suffix.length) return { kind, id: proposal.slice(0, -suffix.length) };
    }
    return { kind: 'proposal', id: proposal };
  }
  const submission = after(STREAM_PREFIXES.submission);
  if (submission !== null && submission.endsWith(EXPORTS_SUFFIX) && submission.length > EXPORTS_SUFFIX.length) {
    return { kind: 'submission-exports', id: submission.slice(0, -EXPORTS_SUFFIX.length) };
  }
  // 'user-email-' before 'user-': user ids are UUIDs and never start with "email-".
  const simple: ReadonlyArray<readonly [string, StreamKind]> = [
    [STREAM_PREFIXES.emailReservation, 'email-reservation'],
    [STREAM_PREFIXES.user, 'user'],
    [STREAM_PREFIXES.session, 'session'],
    [STREAM_PREFIXES.workspace, 'workspace'],
    [STREAM_PREFIXES.submission, 'submission'],
    [STREAM_PREFIXES.notifications, 'notifications'],
    [STREAM_PREFIXES.reminder, 'reminder'],
    [STREAM_PREFIXES.mail, 'mail'],
  ];
  for (const [prefix, kind] of simple) {
    const id = after(prefix);
    if (id !== null) return { kind, id };
  }
  return null;
}

/** The proposal id of a content stream, or null for any other stream. */
export function proposalIdOfContentStream(stream: string): string | null {
  const parsed = parseStream(stream);
  return parsed?.kind === 'proposal-content' ? parsed.id : null;
}

/** The proposal id of a snapshot stream, or null for any other stream. */
export function proposalIdOfSnapshotStream(stream: string): string | null {
  const parsed = parseStream(stream);
  return parsed?.kind === 'proposal-snapshots' ? parsed.id : null;
}
