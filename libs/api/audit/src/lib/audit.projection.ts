import type { RecordedEvent } from '@concord/event-store';
import { parseStream, StreamKind } from '@concord/domain';
import { Projection, sql, SqlStatement } from '@concord/api/platform';

// Each projection runs on its own (its own position, its own pace): the audit index may not read
// another projection's tables, which may not have reached this event yet. It keeps its own map of
// submissions and proposals to their workspace, from the events that open them (always the first
// event of their stream, so always seen before any later event of that stream or its content).
const ENTITY_LOOKUP = 'SELECT iscm_id FROM rm_event_index_workspaces WHERE entity_id = ?';
/** How a stream finds its workspace: it is one (null), or it belongs to a submission or proposal that has one. */
const WORKSPACE_LOOKUP: Partial<Record<StreamKind, string | null>> = {
  workspace: null,
  submission: ENTITY_LOOKUP,
  proposal: ENTITY_LOOKUP,
  'proposal-content': ENTITY_LOOKUP,
  'proposal-snapshots': ENTITY_LOOKUP,
  'proposal-threads': ENTITY_LOOKUP,
  'proposal-suggestions': ENTITY_LOOKUP,
  'submission-exports': ENTITY_LOOKUP,
};
/** The streams whose first event names the workspace of their entity. */
const ENTITY_STREAMS: ReadonlySet<StreamKind> = new Set<StreamKind>(['submission', 'proposal']);

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
      const entity = parseStream(event.stream);
      if (entity && ENTITY_STREAMS.has(entity.kind)) {
        statements.push(
          sql('INSERT INTO rm_event_index_workspaces (entity_id, iscm_id) VALUES (?, ?) ON CONFLICT (entity_id) DO NOTHING', entity.id, dataIscm),
        );
      }
      return statements;
    }
    const stream = parseStream(event.stream);
    const lookup = stream ? WORKSPACE_LOOKUP[stream.kind] : undefined;
    if (stream && lookup !== undefined) {
      return lookup
        ? [sql(`INSERT INTO rm_event_index (${columns}) VALUES (?, ?, ?, ?, ?, ?, (${lookup}))`, ...values, stream.id)]
        : [sql(`INSERT INTO rm_event_index (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?)`, ...values, stream.id)];
    }
    return [sql(`INSERT INTO rm_event_index (${columns}) VALUES (?, ?, ?, ?, ?, ?, NULL)`, ...values)];
  },
};
