import type { RecordedEvent } from '@concord/event-store';
import { Projection, sql, SqlStatement } from '@concord/api/platform';

// Each projection runs on its own (its own position, its own pace): the audit index may not read
// another projection's tables, which may not have reached this event yet. It keeps its own map of
// submissions and proposals to their workspace, from the events that open them (always the first
// event of their stream, so always seen before any later event of that stream or its content).
const ENTITY_LOOKUP = 'SELECT iscm_id FROM rm_event_index_workspaces WHERE entity_id = ?';
const STREAM_WORKSPACE: { pattern: RegExp; lookup: string | null }[] = [
  { pattern: /^iscm-(.+)$/, lookup: null },
  { pattern: /^submission-(.+)$/, lookup: ENTITY_LOOKUP },
  { pattern: /^proposal-(.+?)(?:-content)?$/, lookup: ENTITY_LOOKUP },
];

/**
 * An index over the whole log for the auditors' query (stream, type, user, time, workspace). The
 * events themselves stay in the store; this only says where to find them.
 */
export const auditProjection: Projection = {
  name: 'audit',
  tables: ['rm_event_index', 'rm_event_index_workspaces'],
  ddl: [
    `CREATE TABLE rm_event_index (position BIGINT PRIMARY KEY, stream TEXT NOT NULL, revision INTEGER NOT NULL,
       type TEXT NOT NULL, user_id TEXT NOT NULL, at TEXT NOT NULL, iscm_id TEXT)`,
    `CREATE INDEX rm_event_index_stream ON rm_event_index (stream)`,
    `CREATE INDEX rm_event_index_type ON rm_event_index (type)`,
    `CREATE INDEX rm_event_index_user ON rm_event_index (user_id)`,
    `CREATE INDEX rm_event_index_iscm ON rm_event_index (iscm_id)`,
    `CREATE TABLE rm_event_index_workspaces (entity_id TEXT PRIMARY KEY, iscm_id TEXT NOT NULL)`,
  ],
  handle(event: RecordedEvent): SqlStatement[] {
    const columns = 'position, stream, revision, type, user_id, at, iscm_id';
    const values = [event.position, event.stream, event.revision, event.type, event.metadata.userId, event.metadata.at];
    const dataIscm =
      event.data && typeof event.data === 'object' && !(event.data instanceof Uint8Array) && !Array.isArray(event.data)
        ? (event.data as Record<string, unknown>)['iscmId']
        : undefined;
    if (typeof dataIscm === 'string') {
      const statements = [sql(`INSERT INTO rm_event_index (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?)`, ...values, dataIscm)];
      const entity = /^(?:submission|proposal)-(.+)$/.exec(event.stream);
      if (entity) {
        statements.push(
          sql('INSERT INTO rm_event_index_workspaces (entity_id, iscm_id) VALUES (?, ?) ON CONFLICT (entity_id) DO NOTHING', entity[1], dataIscm),
        );
      }
      return statements;
    }
    for (const { pattern, lookup } of STREAM_WORKSPACE) {
      const match = pattern.exec(event.stream);
      if (!match) continue;
      return lookup
        ? [sql(`INSERT INTO rm_event_index (${columns}) VALUES (?, ?, ?, ?, ?, ?, (${lookup}))`, ...values, match[1])]
        : [sql(`INSERT INTO rm_event_index (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?)`, ...values, match[1])];
    }
    return [sql(`INSERT INTO rm_event_index (${columns}) VALUES (?, ?, ?, ?, ?, ?, NULL)`, ...values)];
  },
};
