import type { RecordedEvent } from '@concord/event-store';
import type { UserEvent, WorkspaceEvent } from '@concord/domain';
import { Projection, sql, SqlStatement } from '@concord/api/platform';

type IdentityEvent = UserEvent | WorkspaceEvent;

/** Users, workspaces and who holds which role where: what authentication and authorization read. */
export const identityProjection: Projection = {
  name: 'identity',
  tables: ['rm_users', 'rm_workspaces', 'rm_members', 'rm_invitations'],
  ddl: [
    `CREATE TABLE rm_users (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
       password_hash TEXT NOT NULL, is_admin INTEGER NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, registered_at TEXT NOT NULL)`,
    `CREATE TABLE rm_workspaces (id TEXT PRIMARY KEY, abbreviation TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, registered_at TEXT NOT NULL,
       approval_needs_closed_review INTEGER NOT NULL DEFAULT 0, chair_cannot_approve_own_text INTEGER NOT NULL DEFAULT 0,
       approval_rule TEXT)`,
    // member_state: the ISO alpha-2 code a delegate represents, on the delegate row only.
    `CREATE TABLE rm_members (iscm_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL, member_state TEXT,
       PRIMARY KEY (iscm_id, user_id, role))`,
    `CREATE INDEX rm_members_user ON rm_members (user_id)`,
    // Invitations by one-time link: the token's hash only; status pending | accepted | revoked (expiry is read against the clock).
    `CREATE TABLE rm_invitations (id TEXT PRIMARY KEY, iscm_id TEXT NOT NULL, email TEXT NOT NULL, role TEXT NOT NULL, member_state TEXT,
       token_hash TEXT NOT NULL UNIQUE, expires_at TEXT NOT NULL, invited_by TEXT NOT NULL, issued_at TEXT NOT NULL, status TEXT NOT NULL,
       accepted_by TEXT)`,
    `CREATE INDEX rm_invitations_iscm ON rm_invitations (iscm_id)`,
  ],
  handle(recorded: RecordedEvent): SqlStatement[] {
    const event = { type: recorded.type, data: recorded.data } as IdentityEvent;
    const at = recorded.metadata.at;
    switch (event.type) {
      case 'UserRegistered':
        return [
          sql(
            'INSERT INTO rm_users (id, email, name, password_hash, is_admin, registered_at) VALUES (?, ?, ?, ?, ?, ?)',
            event.data.userId, event.data.email, event.data.name, event.data.passwordHash, event.data.isAdmin ? 1 : 0, at,
          ),
        ];
      case 'PasswordChanged':
        return [sql('UPDATE rm_users SET password_hash = ? WHERE id = ?', event.data.passwordHash, event.data.userId)];
      case 'PasswordReset':
        return [sql('UPDATE rm_users SET password_hash = ? WHERE id = ?', event.data.passwordHash, event.data.userId)];
      case 'UserDisabled':
        return [sql('UPDATE rm_users SET disabled = 1 WHERE id = ?', event.data.userId)];
      case 'UserReenabled':
        return [sql('UPDATE rm_users SET disabled = 0 WHERE id = ?', event.data.userId)];
      case 'WorkspaceRegistered':
        return [
          sql(
            'INSERT INTO rm_workspaces (id, abbreviation, name, type, registered_at) VALUES (?, ?, ?, ?, ?)',
            event.data.iscmId, event.data.abbreviation, event.data.name, event.data.type, at,
          ),
        ];
      case 'MemberAdded':
        return [
          sql(
            'INSERT INTO rm_members (iscm_id, user_id, role, member_state) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
            event.data.iscmId, event.data.userId, event.data.role, event.data.memberState ?? null,
          ),
        ];
      case 'MemberRoleChanged':
        return [
          sql('DELETE FROM rm_members WHERE iscm_id = ? AND user_id = ? AND role = ?', event.data.iscmId, event.data.userId, event.data.from),
          sql(
            'INSERT INTO rm_members (iscm_id, user_id, role, member_state) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
            event.data.iscmId, event.data.userId, event.data.to, event.data.memberState ?? null,
          ),
        ];
      case 'ReviewPolicyChanged':
        return [sql('UPDATE rm_workspaces SET approval_needs_closed_review = ? WHERE id = ?', event.data.approvalNeedsClosedReview ? 1 : 0, event.data.iscmId)];
      case 'SeparationOfDutiesChanged':
        return [
          sql('UPDATE rm_workspaces SET chair_cannot_approve_own_text = ? WHERE id = ?', event.data.chairCannotApproveOwnText ? 1 : 0, event.data.iscmId),
        ];
      case 'ApprovalRuleChanged':
        // JSON {approvers, required}; NULL: any one chair approves.
        return [
          sql(
            'UPDATE rm_workspaces SET approval_rule = ? WHERE id = ?',
            event.data.approvers.length === 0 ? null : JSON.stringify({ approvers: event.data.approvers, required: event.data.required }),
            event.data.iscmId,
          ),
        ];
      case 'InvitationIssued':
        return [
          sql(
            `INSERT INTO rm_invitations (id, iscm_id, email, role, member_state, token_hash, expires_at, invited_by, issued_at, status)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')`,
            event.data.invitationId, event.data.iscmId, event.data.email, event.data.role, event.data.memberState ?? null,
            event.data.tokenHash, event.data.expiresAt, event.data.invitedBy, at,
          ),
        ];
      case 'InvitationAccepted':
        return [sql(`UPDATE rm_invitations SET status = 'accepted', accepted_by = ? WHERE id = ?`, event.data.userId, event.data.invitationId)];
      case 'InvitationRevoked':
        return [sql(`UPDATE rm_invitations SET status = 'revoked' WHERE id = ?`, event.data.invitationId)];
      case 'MemberRemoved':
        return event.data.roles.map((role) =>
          sql('DELETE FROM rm_members WHERE iscm_id = ? AND user_id = ? AND role = ?', event.data.iscmId, event.data.userId, role),
        );
      default:
        return [];
    }
  },
};
