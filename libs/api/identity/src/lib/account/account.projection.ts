import type { RecordedEvent } from '@concord/event-store';
import type { UserEvent } from '@concord/domain';
import { Projection, sql, SqlStatement } from '@concord/api/platform';

const upsert = (userId: string, column: string, value: unknown, at: string) =>
  sql(
    `INSERT INTO rm_accounts (user_id, ${column}, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET ${column} = excluded.${column}, updated_at = excluded.updated_at`,
    userId,
    value,
    at,
  );

/** Account security state per user for the administrators' list and the enrolment gate (no secrets). */
export const accountProjection: Projection = {
  name: 'account',
  tables: ['rm_accounts'],
  ddl: [
    `CREATE TABLE rm_accounts (user_id TEXT PRIMARY KEY, mfa_enabled INTEGER NOT NULL DEFAULT 0,
       recovery_codes_left INTEGER NOT NULL DEFAULT 0, reset_expires_at TEXT, updated_at TEXT NOT NULL)`,
  ],
  handle(recorded: RecordedEvent): SqlStatement[] {
    const event = { type: recorded.type, data: recorded.data } as UserEvent;
    const at = recorded.metadata.at;
    switch (event.type) {
      case 'TotpEnabled':
        return [
          upsert(event.data.userId, 'mfa_enabled', 1, at),
          upsert(event.data.userId, 'recovery_codes_left', event.data.recoveryCodeHashes.length, at),
        ];
      case 'TotpDisabled':
        return [upsert(event.data.userId, 'mfa_enabled', 0, at), upsert(event.data.userId, 'recovery_codes_left', 0, at)];
      case 'RecoveryCodeUsed':
        return [upsert(event.data.userId, 'recovery_codes_left', event.data.remaining, at)];
      case 'PasswordResetIssued':
        return [upsert(event.data.userId, 'reset_expires_at', event.data.expiresAt, at)];
      case 'PasswordReset':
      case 'PasswordChanged':
        return [upsert(event.data.userId, 'reset_expires_at', null, at)];
      default:
        return [];
    }
  },
};
