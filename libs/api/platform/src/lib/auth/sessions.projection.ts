import type { RecordedEvent } from '@concord/event-store';
import type { SessionEvent } from '@concord/domain';
import { sql, type SqlStatement } from '../read-model/read-model-database';
import type { Projection } from '../read-model/projection';

/**
 * Sign-in sessions as the log tells them: who, from which browser, since when, until when at the
 * latest, and whether (and why) they ended. Rebuilt by replay like every read model; what changes on
 * every refresh (the refresh generation, last activity) is not an event and lives in
 * `auth_session_activity` (see SessionService).
 */
export const sessionsProjection: Projection = {
  name: 'sessions',
  tables: ['rm_sessions'],
  ddl: [
    `CREATE TABLE rm_sessions (session_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, user_agent TEXT NOT NULL,
       started_at TEXT NOT NULL, expires_at TEXT NOT NULL, ended_at TEXT, end_reason TEXT)`,
    `CREATE INDEX rm_sessions_user ON rm_sessions (user_id)`,
  ],
  handle(recorded: RecordedEvent): SqlStatement[] {
    const event = { type: recorded.type, data: recorded.data } as SessionEvent;
    switch (event.type) {
      case 'SessionStarted':
        return [
          sql(
            `INSERT INTO rm_sessions (session_id, user_id, user_agent, started_at, expires_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (session_id) DO NOTHING`,
            event.data.sessionId, event.data.userId, event.data.userAgent, event.data.startedAt, event.data.expiresAt,
          ),
        ];
      case 'SessionEnded':
        return [
          sql('UPDATE rm_sessions SET ended_at = ?, end_reason = ? WHERE session_id = ? AND ended_at IS NULL', event.data.endedAt, event.data.reason, event.data.sessionId),
        ];
      default:
        return [];
    }
  },
};
