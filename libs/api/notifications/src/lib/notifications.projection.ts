import { createHash } from 'node:crypto';
import type { RecordedEvent } from '@concord/event-store';
import { DEFAULT_NOTIFICATION_PREFERENCES, NOTIFICATION_KINDS, type NotificationKind, type NotificationPreferencesDto } from '@concord/contracts';
import { CONTENT_UPDATED, parseStream } from '@concord/domain';
import { memberStateIn, Projection, ReadModelDatabase, sql, SqlStatement } from '@concord/api/platform';
import { APPROVAL_STALE, NOTIFYING_EVENT_TYPES, NotificationFacts, notificationsFor, ProposalFacts } from './notification-derivation';

/** The same id on every node and every replay: the source event, the recipient, the kind. */
export const notificationId = (sourceEventId: string, recipientId: string, kind: NotificationKind) =>
  createHash('sha256').update(`${sourceEventId}\n${recipientId}\n${kind}`).digest('hex').slice(0, 32);

/** A user's choices, the defaults filled in for kinds they never chose. */
export function preferencesFrom(stored: string | null | undefined): NotificationPreferencesDto {
  const parsed = stored ? (JSON.parse(stored) as Partial<NotificationPreferencesDto>) : {};
  return Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, parsed[kind] ?? DEFAULT_NOTIFICATION_PREFERENCES[kind]])) as NotificationPreferencesDto;
}

const SYSTEM = 'system';
type Row = Record<string, string | null>;

/**
 * `rm_notifications`: every notification derived from the log (`notificationsFor`), one row per
 * source event, recipient and kind, with the recipient's choice at that point of the log (in the
 * inbox or not; email off, immediate or in the digest) and whether they have read it
 * (NotificationsRead, projected into the same table). The facts the derivation needs — members by
 * role, proposals, who wrote a text, who is in a thread, who made a suggestion — are kept in this
 * projection's own `rm_notify_*` tables: a projection never reads another's, which may stand at
 * another position of the log, so a replay derives exactly the same rows.
 */
/** Bounds the proposals remembered as not approved (forgotten all at once when full). */
const KNOWN_UNAPPROVED_KEPT = 10_000;

export class NotificationsProjection implements Projection {
  readonly name = 'notifications';
  readonly tables = [
    'rm_notifications', 'rm_notify_users', 'rm_notify_workspaces', 'rm_notify_members', 'rm_notify_proposals', 'rm_notify_authors',
    'rm_notify_thread_people', 'rm_notify_suggestions', 'rm_notify_submissions', 'rm_notify_invitations', 'rm_notify_preferences',
    'rm_notify_silences', 'rm_notify_mails',
  ];
  readonly ddl = [
    `CREATE TABLE rm_notifications (id TEXT PRIMARY KEY, recipient_id TEXT NOT NULL, kind TEXT NOT NULL, iscm_id TEXT NOT NULL,
       proposal_id TEXT, submission_id TEXT, thread_id TEXT, title TEXT NOT NULL, body TEXT NOT NULL, link TEXT NOT NULL,
       at TEXT NOT NULL, position BIGINT NOT NULL, in_app INTEGER NOT NULL, email TEXT NOT NULL, is_read INTEGER NOT NULL DEFAULT 0)`,
    `CREATE INDEX rm_notifications_inbox ON rm_notifications (recipient_id, in_app, position)`,
    `CREATE INDEX rm_notifications_email ON rm_notifications (email, position)`,
    `CREATE TABLE rm_notify_users (user_id TEXT PRIMARY KEY, name TEXT NOT NULL)`,
    `CREATE TABLE rm_notify_workspaces (iscm_id TEXT PRIMARY KEY, name TEXT NOT NULL)`,
    `CREATE TABLE rm_notify_members (iscm_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (iscm_id, user_id, role))`,
    `CREATE TABLE rm_notify_proposals (proposal_id TEXT PRIMARY KEY, iscm_id TEXT NOT NULL, submission_id TEXT NOT NULL, title TEXT NOT NULL,
       created_by TEXT NOT NULL, approved_by TEXT)`,
    `CREATE TABLE rm_notify_authors (proposal_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (proposal_id, user_id))`,
    `CREATE TABLE rm_notify_thread_people (thread_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (thread_id, user_id))`,
    `CREATE TABLE rm_notify_suggestions (suggestion_id TEXT PRIMARY KEY, author_id TEXT NOT NULL)`,
    `CREATE TABLE rm_notify_submissions (submission_id TEXT PRIMARY KEY, iscm_id TEXT NOT NULL, title TEXT NOT NULL)`,
    `CREATE TABLE rm_notify_invitations (invitation_id TEXT PRIMARY KEY, invited_by TEXT NOT NULL)`,
    `CREATE TABLE rm_notify_preferences (user_id TEXT PRIMARY KEY, preferences TEXT NOT NULL)`,
    `CREATE TABLE rm_notify_silences (silence_id TEXT PRIMARY KEY, started_by TEXT NOT NULL)`,
    // Each mail's delivery as its stream mail-<mailId> tells it: the delivery reads it to retry, and to skip what is claimed.
    `CREATE TABLE rm_notify_mails (mail_id TEXT PRIMARY KEY, channel TEXT NOT NULL, recipient_id TEXT NOT NULL, status TEXT NOT NULL,
       attempt INTEGER NOT NULL, revision INTEGER NOT NULL, claimed_at TEXT NOT NULL, retry_at TEXT, error TEXT)`,
    `CREATE INDEX rm_notify_mails_status ON rm_notify_mails (status, retry_at)`,
  ];

  constructor(private readonly db: ReadModelDatabase) {}

  /**
   * Proposals whose `approved_by` this projection read as NULL and has not set since: a person's
   * edit of one of them needs no query (the common case, every keystroke), so its statements come
   * back synchronously and the runner writes a burst of edits in one transaction. Conservative: any
   * statement of this projection that touches `approved_by` forgets the proposal (or everything),
   * and so does any event that is not the next position this instance handled (a replay, a retry,
   * another node having applied the log meanwhile).
   */
  private readonly knownUnapproved = new Set<string>();
  private lastPosition = -1;

  /** Derivations read the facts tables; so does an edit of a proposal not known to be unapproved. */
  readsOwnTables(recorded: RecordedEvent): boolean {
    if (NOTIFYING_EVENT_TYPES.has(recorded.type)) return true;
    if (recorded.type !== CONTENT_UPDATED) return false;
    const stream = parseStream(recorded.stream);
    return stream?.kind === 'proposal-content' && !(this.followsOn(recorded) && this.knownUnapproved.has(stream.id));
  }

  /** The next position this instance handles: what it remembers still holds. */
  private followsOn(recorded: RecordedEvent): boolean {
    return recorded.position === this.lastPosition + 1;
  }

  handle(recorded: RecordedEvent): SqlStatement[] | Promise<SqlStatement[]> {
    if (!this.followsOn(recorded)) this.knownUnapproved.clear();
    this.lastPosition = recorded.position;
    const stream = parseStream(recorded.stream);
    const actorId = recorded.metadata.userId;
    if (stream?.kind === 'proposal-content') {
      return recorded.type === CONTENT_UPDATED ? this.onContentUpdated(recorded, stream.id) : [];
    }
    if (stream?.kind === 'proposal-snapshots') return [];
    const data = (recorded.data ?? {}) as Record<string, unknown>;
    if (stream?.kind === 'mail') return this.mailStatements(recorded, data);
    const facts = this.factStatements(recorded.type, data, actorId);
    if (facts.some((statement) => statement.sql.includes('approved_by'))) {
      if (typeof data['proposalId'] === 'string') this.knownUnapproved.delete(data['proposalId']);
      else this.knownUnapproved.clear();
    }
    if (!NOTIFYING_EVENT_TYPES.has(recorded.type)) return facts;
    // Facts first (e.g. a reply makes its writer a participant), then the notifications, which were
    // derived from the facts as they stood before this event.
    return this.derive(recorded.id, recorded.type, data, actorId, recorded).then((derived) => [...derived, ...facts]);
  }

  /** The first edit by a person after an approval makes it stale: told once (approved_by is cleared). */
  private onContentUpdated(recorded: RecordedEvent, proposalId: string): SqlStatement[] | Promise<SqlStatement[]> {
    const userId = recorded.metadata.userId;
    const kind = String(recorded.metadata['kind'] ?? 'edit');
    if (userId === SYSTEM || kind === 'numbering' || kind === 'seed') return [];
    const statements = [sql('INSERT INTO rm_notify_authors (proposal_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING', proposalId, userId)];
    if (this.knownUnapproved.has(proposalId)) return statements;
    return this.staleAfterEdit(recorded, proposalId, userId, statements);
  }

  private async staleAfterEdit(recorded: RecordedEvent, proposalId: string, userId: string, statements: SqlStatement[]): Promise<SqlStatement[]> {
    const [row] = await this.db.query<{ approved_by: string | null }>('SELECT approved_by FROM rm_notify_proposals WHERE proposal_id = ?', [proposalId]);
    if (!row?.approved_by) {
      if (row) {
        if (this.knownUnapproved.size >= KNOWN_UNAPPROVED_KEPT) this.knownUnapproved.clear();
        this.knownUnapproved.add(proposalId);
      }
      return statements;
    }
    const derived = await this.derive(recorded.id, APPROVAL_STALE, { proposalId, revision: recorded.metadata['revision'] }, userId, recorded);
    return [...derived, ...statements, sql('UPDATE rm_notify_proposals SET approved_by = NULL WHERE proposal_id = ?', proposalId)];
  }

  private mailStatements(recorded: RecordedEvent, data: Record<string, unknown>): SqlStatement[] {
    switch (recorded.type) {
      case 'MailClaimed':
        return [
          sql(
            `INSERT INTO rm_notify_mails (mail_id, channel, recipient_id, status, attempt, revision, claimed_at) VALUES (?, ?, ?, 'claimed', ?, ?, ?)
             ON CONFLICT (mail_id) DO UPDATE SET status = 'claimed', attempt = excluded.attempt, revision = excluded.revision, claimed_at = excluded.claimed_at`,
            data['mailId'], data['channel'], data['recipientId'], data['attempt'], recorded.revision, recorded.metadata.at,
          ),
        ];
      case 'MailSent':
        return [sql(`UPDATE rm_notify_mails SET status = 'sent', revision = ?, error = NULL WHERE mail_id = ?`, recorded.revision, data['mailId'])];
      case 'MailFailed':
        return [
          sql(
            'UPDATE rm_notify_mails SET status = ?, revision = ?, retry_at = ?, error = ? WHERE mail_id = ?',
            data['retryAt'] ? 'failed' : 'given-up', recorded.revision, data['retryAt'] ?? null, data['error'], data['mailId'],
          ),
        ];
      default:
        return [];
    }
  }

  private factStatements(type: string, data: Record<string, unknown>, actorId: string): SqlStatement[] {
    switch (type) {
      case 'UserRegistered':
        return [sql('INSERT INTO rm_notify_users (user_id, name) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET name = excluded.name', data['userId'], data['name'])];
      case 'WorkspaceRegistered':
        return [sql('INSERT INTO rm_notify_workspaces (iscm_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING', data['iscmId'], data['name'])];
      case 'MemberAdded':
        return [sql('INSERT INTO rm_notify_members (iscm_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', data['iscmId'], data['userId'], data['role'])];
      case 'MemberRoleChanged':
        return [
          sql('DELETE FROM rm_notify_members WHERE iscm_id = ? AND user_id = ? AND role = ?', data['iscmId'], data['userId'], data['from']),
          sql('INSERT INTO rm_notify_members (iscm_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', data['iscmId'], data['userId'], data['to']),
        ];
      case 'MemberRemoved':
        return ((data['roles'] as string[] | undefined) ?? []).map((role) =>
          sql('DELETE FROM rm_notify_members WHERE iscm_id = ? AND user_id = ? AND role = ?', data['iscmId'], data['userId'], role),
        );
      case 'InvitationIssued':
        return [sql('INSERT INTO rm_notify_invitations (invitation_id, invited_by) VALUES (?, ?) ON CONFLICT DO NOTHING', data['invitationId'], data['invitedBy'] ?? actorId)];
      case 'SubmissionOpened':
        return [sql('INSERT INTO rm_notify_submissions (submission_id, iscm_id, title) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', data['submissionId'], data['iscmId'], data['title'])];
      case 'ProposalCreated':
        return [
          sql(
            'INSERT INTO rm_notify_proposals (proposal_id, iscm_id, submission_id, title, created_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
            data['proposalId'], data['iscmId'], data['submissionId'], data['title'], actorId,
          ),
        ];
      case 'ProposalDetailsChanged':
        return typeof data['title'] === 'string' ? [sql('UPDATE rm_notify_proposals SET title = ? WHERE proposal_id = ?', data['title'], data['proposalId'])] : [];
      case 'ProposalApproved':
        return [sql('UPDATE rm_notify_proposals SET approved_by = ? WHERE proposal_id = ?', actorId, data['proposalId'])];
      case 'SilenceStarted':
        return [sql('INSERT INTO rm_notify_silences (silence_id, started_by) VALUES (?, ?) ON CONFLICT DO NOTHING', data['silenceId'], data['startedBy'])];
      case 'SilenceAdopted':
        return [
          sql(
            `UPDATE rm_notify_proposals SET approved_by = (SELECT started_by FROM rm_notify_silences WHERE silence_id = ?) WHERE proposal_id = ?`,
            data['silenceId'], data['proposalId'],
          ),
        ];
      case 'ProposalWithdrawn':
        return [sql('UPDATE rm_notify_proposals SET approved_by = NULL WHERE proposal_id = ?', data['proposalId'])];
      case 'ThreadOpened':
        return [sql('INSERT INTO rm_notify_thread_people (thread_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING', data['threadId'], data['openedBy'] ?? actorId)];
      case 'ThreadReplied':
        return [sql('INSERT INTO rm_notify_thread_people (thread_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING', data['threadId'], actorId)];
      case 'SuggestionMade':
        return [sql('INSERT INTO rm_notify_suggestions (suggestion_id, author_id) VALUES (?, ?) ON CONFLICT DO NOTHING', data['suggestionId'], data['authorId'])];
      case 'NotificationPreferencesChanged':
        return [
          sql(
            'INSERT INTO rm_notify_preferences (user_id, preferences) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET preferences = excluded.preferences',
            data['userId'], JSON.stringify(preferencesFrom(JSON.stringify(data['preferences'] ?? {}))),
          ),
        ];
      case 'NotificationsRead': {
        const ids = (data['ids'] as string[] | undefined) ?? [];
        const statements = ids.length
          ? [sql(`UPDATE rm_notifications SET is_read = 1 WHERE recipient_id = ? AND id IN (${ids.map(() => '?').join(', ')})`, data['userId'], ...ids)]
          : [];
        if (typeof data['upToPosition'] === 'number') {
          statements.push(sql('UPDATE rm_notifications SET is_read = 1 WHERE recipient_id = ? AND position <= ?', data['userId'], data['upToPosition']));
        }
        return statements;
      }
      default:
        return [];
    }
  }

  private async derive(sourceId: string, type: string, data: Record<string, unknown>, actorId: string, recorded: RecordedEvent): Promise<SqlStatement[]> {
    const facts = await this.factsFor(type, data, actorId);
    const derived = notificationsFor({ type, data, actorId }, facts);
    if (derived.length === 0) return [];
    const recipients = [...new Set(derived.map((n) => n.recipientId))];
    const stored = await this.db.query<{ user_id: string; preferences: string }>(
      `SELECT user_id, preferences FROM rm_notify_preferences WHERE user_id IN (${recipients.map(() => '?').join(', ')})`,
      recipients,
    );
    const preferencesOf = new Map(stored.map((row) => [row.user_id, preferencesFrom(row.preferences)]));
    return derived.map((n) => {
      const choice = (preferencesOf.get(n.recipientId) ?? DEFAULT_NOTIFICATION_PREFERENCES)[n.kind];
      return sql(
        `INSERT INTO rm_notifications (id, recipient_id, kind, iscm_id, proposal_id, submission_id, thread_id, title, body, link, at, position, in_app, email)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
        notificationId(sourceId, n.recipientId, n.kind), n.recipientId, n.kind, n.iscmId, n.proposalId, n.submissionId, n.threadId,
        n.title, n.body, n.link, recorded.metadata.at, recorded.position, choice.inApp ? 1 : 0, choice.email,
      );
    });
  }

  private async factsFor(type: string, data: Record<string, unknown>, actorId: string): Promise<NotificationFacts> {
    const proposalId = typeof data['proposalId'] === 'string' ? data['proposalId'] : null;
    const [proposalRow] = proposalId
      ? await this.db.query<Row>('SELECT proposal_id, iscm_id, submission_id, title, created_by, approved_by FROM rm_notify_proposals WHERE proposal_id = ?', [proposalId])
      : [];
    const proposal: ProposalFacts | undefined = proposalRow
      ? {
          proposalId: proposalRow['proposal_id'] as string,
          iscmId: proposalRow['iscm_id'] as string,
          submissionId: proposalRow['submission_id'] as string,
          title: proposalRow['title'] as string,
          createdBy: proposalRow['created_by'] as string,
          approvedBy: proposalRow['approved_by'],
        }
      : undefined;
    const submissionId = typeof data['submissionId'] === 'string' ? data['submissionId'] : null;
    const [submission] =
      submissionId && (type === 'DeadlineApproaching' || type.startsWith('SubmissionSilence'))
        ? await this.db.query<{ title: string; iscm_id: string }>('SELECT title, iscm_id FROM rm_notify_submissions WHERE submission_id = ?', [submissionId])
        : [];
    const iscmId = proposal?.iscmId ?? (typeof data['iscmId'] === 'string' ? data['iscmId'] : (submission?.iscm_id ?? null));
    const members = iscmId ? await this.db.query<{ user_id: string; role: string }>('SELECT user_id, role FROM rm_notify_members WHERE iscm_id = ?', [iscmId]) : [];
    const withRole = (role: string) => members.filter((m) => m.role === role).map((m) => m.user_id);
    const drafters = withRole('drafter');
    const textAuthors = proposalId
      ? (await this.db.query<{ user_id: string }>('SELECT user_id FROM rm_notify_authors WHERE proposal_id = ?', [proposalId]))
          .map((r) => r.user_id)
          .filter((id) => drafters.includes(id))
      : [];
    const threadParticipants =
      type === 'ThreadReplied'
        ? (await this.db.query<{ user_id: string }>('SELECT user_id FROM rm_notify_thread_people WHERE thread_id = ?', [data['threadId']])).map((r) => r.user_id)
        : [];
    const [suggestion] =
      type === 'SuggestionAccepted' || type === 'SuggestionRejected'
        ? await this.db.query<{ author_id: string }>('SELECT author_id FROM rm_notify_suggestions WHERE suggestion_id = ?', [data['suggestionId']])
        : [];
    const [invitation] =
      type === 'InvitationAccepted'
        ? await this.db.query<{ invited_by: string }>('SELECT invited_by FROM rm_notify_invitations WHERE invitation_id = ?', [data['invitationId']])
        : [];
    const [actor] = await this.db.query<{ name: string }>('SELECT name FROM rm_notify_users WHERE user_id = ?', [actorId]);
    const [workspace] = iscmId ? await this.db.query<{ name: string }>('SELECT name FROM rm_notify_workspaces WHERE iscm_id = ?', [iscmId]) : [];
    return {
      proposal,
      chairs: withRole('chair'),
      drafters,
      delegates: withRole('delegate'),
      textAuthors,
      threadParticipants,
      suggestionAuthor: suggestion?.author_id,
      invitedBy: invitation?.invited_by,
      actorName: actorId === SYSTEM ? 'Concord' : (actor?.name ?? 'Someone'),
      workspaceName: workspace?.name,
      submissionTitle: submission?.title,
      iscmOfSubmission: submission?.iscm_id,
      memberStateName: (type === 'SilenceBroken' || type === 'SubmissionSilenceBroken') && iscmId ? memberStateIn(iscmId, String(data['memberState'] ?? ''))?.name : undefined,
    };
  }
}
