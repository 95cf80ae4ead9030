import type { RecordedEvent } from '@concord/event-store';
import { parseStream, webhookEventOf, type WebhookRegistered, type WebhookRemoved } from '@concord/domain';
import { Projection, sql, SqlStatement } from '@concord/api/platform';
import { webhookPayload } from './webhook-payload';

/** A delivery whose event is older than this when first projected (a lost delivery table refilled by a replay) is not sent. */
export const WEBHOOK_MAX_EVENT_AGE_MS = 24 * 3600 * 1000;

/** The id of the delivery of one event to one webhook: the same on every node and every replay. */
export const deliveryIdOf = (eventId: string, webhookId: string) => `${eventId}:${webhookId}`;

/**
 * Where the outbox lives. On PostgreSQL it is in the log's schema (`public`), not DATABASE_SCHEMA:
 * nodes that keep their read models in a schema each (OPERATIONS, "Running several API nodes")
 * still share one outbox, so an event is delivered once whatever the set-up (each node's projection
 * inserts the same row id; the first insert wins). In SQLite there is one file.
 */
export interface WebhookTables {
  deliveries: string;
  attempts: string;
}
export const webhookTables = (dialect: 'sqlite' | 'postgres'): WebhookTables =>
  dialect === 'postgres'
    ? { deliveries: 'public.webhook_deliveries', attempts: 'public.webhook_attempts' }
    : { deliveries: 'webhook_deliveries', attempts: 'webhook_attempts' };

/** Tables of deliveries and attempts: NOT dropped on a rebuild (they record what was sent, which no replay can undo). */
const deliveryDdl = ({ deliveries, attempts }: WebhookTables) => [
  `CREATE TABLE IF NOT EXISTS ${deliveries} (id TEXT PRIMARY KEY, webhook_id TEXT NOT NULL, iscm_id TEXT NOT NULL, event TEXT NOT NULL,
     source_event_id TEXT NOT NULL, source_event_type TEXT, data TEXT NOT NULL, occurred_at TEXT NOT NULL, created_at TEXT NOT NULL,
     state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT, claimed_by TEXT, claimed_until TEXT,
     last_status INTEGER, last_error TEXT, delivered_at TEXT)`,
  `CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON ${deliveries} (state, next_attempt_at)`,
  `CREATE INDEX IF NOT EXISTS webhook_deliveries_webhook ON ${deliveries} (webhook_id, created_at)`,
  `CREATE TABLE IF NOT EXISTS ${attempts} (delivery_id TEXT NOT NULL, attempt INTEGER NOT NULL, at TEXT NOT NULL, status INTEGER,
     error TEXT, duration_ms INTEGER NOT NULL, node_id TEXT NOT NULL, PRIMARY KEY (delivery_id, attempt))`,
];

const ENTITY_STREAMS = new Set(['submission', 'proposal']);
const WORKSPACE_OF_ENTITY = '(SELECT iscm_id FROM rm_webhook_entities WHERE entity_id = ?)';

/**
 * The webhooks of each workspace (`rm_webhooks`, with the sealed secret) and the outbox of their
 * deliveries: for each recorded event a webhook subscribes to, one row in `webhook_deliveries` with
 * a deterministic id (event id + webhook id), inserted with ON CONFLICT DO NOTHING — so a replay, a
 * rebuild or a second projecting node never makes a second delivery. The dispatchers of every node
 * claim due rows from there (WebhookDispatcher). Like the audit index, it keeps its own map of
 * submissions and proposals to their workspace (another projection's tables may lag behind).
 */
export const webhooksProjection = (dialect: 'sqlite' | 'postgres'): Projection => {
  const tables = webhookTables(dialect);
  return {
  name: 'webhooks',
  tables: ['rm_webhooks', 'rm_webhook_entities'],
  ddl: [
    `CREATE TABLE rm_webhooks (webhook_id TEXT PRIMARY KEY, iscm_id TEXT NOT NULL, url TEXT NOT NULL, events TEXT NOT NULL, secret TEXT NOT NULL,
       registered_by TEXT NOT NULL, registered_at TEXT NOT NULL, removed INTEGER NOT NULL DEFAULT 0, removed_at TEXT)`,
    `CREATE INDEX rm_webhooks_iscm ON rm_webhooks (iscm_id)`,
    `CREATE TABLE rm_webhook_entities (entity_id TEXT PRIMARY KEY, iscm_id TEXT NOT NULL)`,
    ...deliveryDdl(tables),
  ],
  handle(event: RecordedEvent): SqlStatement[] {
    const stream = parseStream(event.stream);
    if (!stream) return [];
    const statements: SqlStatement[] = [];
    const data = (event.data ?? {}) as Record<string, unknown>;
    if (event.type === 'WebhookRegistered') {
      const { webhookId, iscmId, url, events, secret, registeredBy } = (event as unknown as WebhookRegistered).data;
      statements.push(
        sql(
          `INSERT INTO rm_webhooks (webhook_id, iscm_id, url, events, secret, registered_by, registered_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (webhook_id) DO NOTHING`,
          webhookId, iscmId, url, `,${events.join(',')},`, JSON.stringify(secret), registeredBy, event.metadata.at,
        ),
      );
    } else if (event.type === 'WebhookRemoved') {
      const { webhookId } = (event as unknown as WebhookRemoved).data;
      statements.push(
        sql('UPDATE rm_webhooks SET removed = 1, removed_at = ? WHERE webhook_id = ?', event.metadata.at, webhookId),
        sql(
          `UPDATE ${tables.deliveries} SET state = 'cancelled', next_attempt_at = NULL, last_error = 'The webhook was removed.'
           WHERE webhook_id = ? AND state IN ('pending', 'retrying')`,
          webhookId,
        ),
      );
    }
    const dataIscm = typeof data['iscmId'] === 'string' ? (data['iscmId'] as string) : undefined;
    if (dataIscm && ENTITY_STREAMS.has(stream.kind)) {
      statements.push(sql('INSERT INTO rm_webhook_entities (entity_id, iscm_id) VALUES (?, ?) ON CONFLICT (entity_id) DO NOTHING', stream.id, dataIscm));
    }
    const name = webhookEventOf(event.type);
    if (!name) return statements;
    const [workspace, workspaceParam] =
      stream.kind === 'workspace' ? ['?', stream.id] : dataIscm ? ['?', dataIscm] : [WORKSPACE_OF_ENTITY, stream.id];
    const payload = webhookPayload(event, name, '');
    const state = Date.now() - Date.parse(event.metadata.at) > WEBHOOK_MAX_EVENT_AGE_MS ? 'expired' : 'pending';
    statements.push(
      sql(
        `INSERT INTO ${tables.deliveries} (id, webhook_id, iscm_id, event, source_event_id, source_event_type, data, occurred_at, created_at, state, next_attempt_at)
         SELECT CAST(? AS TEXT) || ':' || w.webhook_id, w.webhook_id, w.iscm_id, ?, ?, ?, ?, ?, ?, ?, ?
         FROM rm_webhooks w WHERE w.removed = 0 AND w.iscm_id = ${workspace} AND w.events LIKE ?
         ON CONFLICT (id) DO NOTHING`,
        event.id, name, event.id, event.type, JSON.stringify(payload.data), event.metadata.at, new Date().toISOString(), state,
        state === 'pending' ? event.metadata.at : null, workspaceParam, `%,${name},%`,
      ),
    );
    return statements;
  },
};
};
