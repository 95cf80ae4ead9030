import { BadRequestException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { RegisteredWebhookDto, WebhookDeliveryDto, WebhookDeliveryState, WebhookDto } from '@concord/contracts';
import { WEBHOOK_PING, webhookEventsProblem, webhookUrlProblem, workspaceDecider, workspaceStream, type WorkspaceCommand } from '@concord/domain';
import { CommandExecutor, Principal, READ_MODEL_DATABASE, ReadModelDatabase, rootLogger, sql, UserDirectory } from '@concord/api/platform';
import { unreachableHostReason } from './webhook-addresses';
import { WEBHOOK_CONFIG, WebhookConfig } from './webhook-config';
import { WebhookSecrets } from './webhook-secrets';
import { deliveryIdOf, WebhookTables, webhookTables } from './webhooks.projection';

const log = rootLogger.child({ context: 'Webhooks' });

interface WebhookRow {
  webhook_id: string;
  url: string;
  events: string;
  registered_by: string;
  registered_at: string;
  removed: number;
}

interface DeliveryRow {
  id: string;
  event: string;
  source_event_id: string;
  source_event_type: string | null;
  created_at: string;
  state: WebhookDeliveryState | 'expired';
  attempts: number;
  next_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: string | null;
}

interface AttemptRow {
  delivery_id: string;
  attempt: number;
  at: string;
  status: number | null;
  error: string | null;
  duration_ms: number;
}

const eventsOf = (stored: string) => stored.split(',').filter(Boolean);
const toDto = (row: WebhookRow): WebhookDto => ({
  id: row.webhook_id,
  url: row.url,
  events: eventsOf(row.events),
  registeredBy: row.registered_by,
  registeredAt: row.registered_at,
});

/**
 * Webhooks of a workspace (issue 14 §5), for its administrators and platform administrators:
 * registering (`WebhookRegistered`, the secret generated here, sealed in the event, shown once),
 * removing (`WebhookRemoved`), a test delivery, and the delivery log.
 */
@Injectable()
export class Webhooks {
  private readonly secrets: WebhookSecrets;
  private readonly tables: WebhookTables;

  constructor(
    private readonly commands: CommandExecutor,
    private readonly users: UserDirectory,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(WEBHOOK_CONFIG) private readonly config: WebhookConfig,
  ) {
    this.secrets = new WebhookSecrets(config.keyMaterial);
    this.tables = webhookTables(db.dialect);
  }

  async register(actor: Principal, iscmId: string, url: string, events: string[]): Promise<RegisteredWebhookDto> {
    await this.requireManager(actor, iscmId);
    const problem = webhookUrlProblem(url) ?? webhookEventsProblem(events) ?? (await unreachableHostReason(url, this.config.allowPrivate));
    if (problem) throw new BadRequestException(problem);
    const webhookId = randomUUID();
    const secret = WebhookSecrets.generate();
    await this.execute(actor, { type: 'RegisterWebhook', data: { iscmId, webhookId, url, events, secret: this.secrets.seal(webhookId, secret), actor } });
    const webhook = await this.webhook(iscmId, webhookId);
    log.info({ iscmId, webhookId, host: new URL(url).host, events: eventsOf(webhook.events), by: actor.userId }, 'webhook registered');
    return { ...toDto(webhook), secret };
  }

  async list(actor: Principal, iscmId: string): Promise<WebhookDto[]> {
    await this.requireManager(actor, iscmId);
    const rows = await this.db.query<WebhookRow>(
      'SELECT webhook_id, url, events, registered_by, registered_at, removed FROM rm_webhooks WHERE iscm_id = ? AND removed = 0 ORDER BY registered_at, webhook_id',
      [iscmId],
    );
    return rows.map(toDto);
  }

  async remove(actor: Principal, iscmId: string, webhookId: string): Promise<void> {
    await this.requireManager(actor, iscmId);
    await this.execute(actor, { type: 'RemoveWebhook', data: { iscmId, webhookId, actor } });
    log.info({ iscmId, webhookId, by: actor.userId }, 'webhook removed');
  }

  /** Queues a `ping` delivery, sent (signed, retried, logged) like any other. */
  async test(actor: Principal, iscmId: string, webhookId: string): Promise<{ deliveryId: string }> {
    await this.requireManager(actor, iscmId);
    const webhook = await this.webhook(iscmId, webhookId);
    if (webhook.removed) throw new NotFoundException(`There is no webhook ${webhookId} in this workspace.`);
    const eventId = randomUUID();
    const now = new Date().toISOString();
    await this.db.execute([
      sql(
        `INSERT INTO ${this.tables.deliveries} (id, webhook_id, iscm_id, event, source_event_id, source_event_type, data, occurred_at, created_at, state, next_attempt_at)
         VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, 'pending', ?)`,
        deliveryIdOf(eventId, webhookId), webhookId, iscmId, WEBHOOK_PING, eventId, JSON.stringify({ actor: actor.userId, webhookId }), now, now, now,
      ),
    ]);
    log.info({ iscmId, webhookId, deliveryId: eventId, by: actor.userId }, 'webhook test delivery queued');
    return { deliveryId: eventId };
  }

  async deliveries(actor: Principal, iscmId: string, webhookId: string, limit: number): Promise<WebhookDeliveryDto[]> {
    await this.requireManager(actor, iscmId);
    await this.webhook(iscmId, webhookId);
    const rows = await this.db.query<DeliveryRow>(
      `SELECT id, event, source_event_id, source_event_type, created_at, state, attempts, next_attempt_at, last_status, last_error, delivered_at
       FROM ${this.tables.deliveries} WHERE webhook_id = ? ORDER BY created_at DESC, id LIMIT ${limit}`,
      [webhookId],
    );
    const attempts = rows.length
      ? await this.db.query<AttemptRow>(
          `SELECT delivery_id, attempt, at, status, error, duration_ms FROM ${this.tables.attempts} WHERE delivery_id IN (${rows.map(() => '?').join(', ')}) ORDER BY attempt DESC`,
          rows.map((row) => row.id),
        )
      : [];
    return rows.map((row) => ({
      deliveryId: row.source_event_id,
      event: row.event,
      sourceEventType: row.source_event_type,
      createdAt: row.created_at,
      // An event too old when projected was never sent: shown as failed, with the reason.
      state: row.state === 'expired' ? 'failed' : row.state,
      attempts: Number(row.attempts),
      nextAttemptAt: row.next_attempt_at,
      lastStatus: row.last_status === null ? null : Number(row.last_status),
      lastError: row.state === 'expired' ? 'Not sent: the event was over 24 hours old when it reached the outbox.' : row.last_error,
      deliveredAt: row.delivered_at,
      history: attempts
        .filter((attempt) => attempt.delivery_id === row.id)
        .map((attempt) => ({
          attempt: Number(attempt.attempt),
          at: attempt.at,
          status: attempt.status === null ? null : Number(attempt.status),
          error: attempt.error,
          durationMs: Number(attempt.duration_ms),
        })),
    }));
  }

  private async execute(actor: Principal, command: WorkspaceCommand): Promise<void> {
    await this.commands.execute(workspaceStream(command.data.iscmId), workspaceDecider, command, actor.userId);
  }

  private async webhook(iscmId: string, webhookId: string): Promise<WebhookRow> {
    const [row] = await this.db.query<WebhookRow>(
      'SELECT webhook_id, url, events, registered_by, registered_at, removed FROM rm_webhooks WHERE webhook_id = ? AND iscm_id = ?',
      [webhookId, iscmId],
    );
    if (!row) throw new NotFoundException(`There is no webhook ${webhookId} in this workspace.`);
    return row;
  }

  private async requireManager(actor: Principal, iscmId: string): Promise<void> {
    const [workspace] = await this.db.query<{ id: string }>('SELECT id FROM rm_workspaces WHERE id = ?', [iscmId]);
    if (!workspace) throw new NotFoundException(`There is no workspace ${iscmId}.`);
    if (actor.isAdmin) return;
    const roles = await this.users.rolesIn(actor.userId, iscmId);
    if (!roles.includes('admin')) throw new ForbiddenException('Only an administrator of this workspace may manage its webhooks.');
  }
}
