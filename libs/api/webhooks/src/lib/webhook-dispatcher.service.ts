import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { SealedSecret } from '@concord/domain';
import { READ_MODEL_DATABASE, ReadModelDatabase, rootLogger, sql } from '@concord/api/platform';
import { unreachableHostReason } from './webhook-addresses';
import { WEBHOOK_CONFIG, WebhookConfig } from './webhook-config';
import { outcomeOf, retryDelayMs } from './webhook-retries';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookTables, webhookTables } from './webhooks.projection';
import { WEBHOOK_HEADERS, webhookSignature } from './webhook-signature';

const logger = rootLogger.child({ context: 'WebhookDispatcher' });

/** Deliveries one node claims per pass. */
const BATCH = 10;

interface ClaimedDelivery {
  id: string;
  webhook_id: string;
  iscm_id: string;
  event: string;
  source_event_id: string;
  data: string;
  occurred_at: string;
  attempts: number;
}

interface WebhookTarget {
  url: string;
  secret: string;
  removed: number;
}

/** What came of one attempt. */
interface AttemptResult {
  status: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * Sends the deliveries the webhooks projection lays down, on every node: each pass claims due rows
 * with one `UPDATE … SET claimed_by, claimed_until … WHERE <due and unclaimed> RETURNING` in the
 * shared read-model database, so that each delivery is attempted by one node at a time (on
 * PostgreSQL a second node's UPDATE re-checks the claim on the row it waited for and skips it). The
 * attempt is recorded (webhook_attempts) and the delivery moved on (delivered, retrying at the next
 * back-off step, failed) only by the node still holding its claim. Nothing lives in memory between
 * passes: a node killed mid-attempt leaves a claim that expires, and another node tries again.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly secrets: WebhookSecrets;
  private readonly tables: WebhookTables;

  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(WEBHOOK_CONFIG) private readonly config: WebhookConfig,
  ) {
    this.secrets = new WebhookSecrets(config.keyMaterial);
    this.tables = webhookTables(db.dialect);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.dispatch(), this.config.pollMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass (never two at once on a node). */
  dispatch(): Promise<void> {
    this.running ??= this.sendDue().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sendDue(): Promise<void> {
    let claimed: ClaimedDelivery[];
    try {
      claimed = await this.claim();
    } catch (error) {
      // The tables do not exist until the read models are first built; nothing to send before.
      logger.debug({ err: error }, 'could not claim webhook deliveries');
      return;
    }
    await Promise.all(claimed.map((delivery) => this.attempt(delivery)));
  }

  private async claim(): Promise<ClaimedDelivery[]> {
    const now = new Date().toISOString();
    const until = new Date(Date.now() + this.config.timeoutMs * 3 + 5_000).toISOString();
    return this.db.query<ClaimedDelivery>(
      `UPDATE ${this.tables.deliveries} SET claimed_by = ?, claimed_until = ?
       WHERE id IN (SELECT id FROM ${this.tables.deliveries} WHERE state IN ('pending', 'retrying') AND next_attempt_at <= ?
                      AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY next_attempt_at LIMIT ${BATCH})
         AND state IN ('pending', 'retrying') AND (claimed_until IS NULL OR claimed_until < ?)
       RETURNING id, webhook_id, iscm_id, event, source_event_id, data, occurred_at, attempts`,
      [this.config.nodeId, until, now, now, now],
    );
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    if (this.stopped) return this.release(delivery);
    const [target] = await this.db.query<WebhookTarget>('SELECT url, secret, removed FROM rm_webhooks WHERE webhook_id = ?', [delivery.webhook_id]);
    if (!target || target.removed) {
      await this.finish(delivery, { state: 'cancelled', error: 'The webhook was removed.' });
      return;
    }
    let secret: string;
    try {
      secret = this.secrets.open(delivery.webhook_id, JSON.parse(target.secret) as SealedSecret);
    } catch (error) {
      logger.error({ webhookId: delivery.webhook_id, deliveryId: delivery.id, reason: (error as Error).message }, 'webhook secret cannot be opened');
      await this.finish(delivery, { state: 'failed', error: 'The signing secret cannot be opened on this server (its key changed); register the webhook again.' });
      return;
    }
    const number = delivery.attempts + 1;
    const result = await this.post(target.url, secret, delivery);
    const outcome = outcomeOf(result.status);
    const delay = outcome === 'retry' ? retryDelayMs(number, this.config.retryBaseMs) : null;
    const state = outcome === 'delivered' ? 'delivered' : delay !== null ? 'retrying' : 'failed';
    const at = new Date().toISOString();
    const recorded = await this.finish(
      delivery,
      { state, status: result.status, error: result.error, attempts: number, nextAttemptAt: delay === null ? null : new Date(Date.now() + delay).toISOString(), deliveredAt: state === 'delivered' ? at : null },
      sql(
        `INSERT INTO ${this.tables.attempts} (delivery_id, attempt, at, status, error, duration_ms, node_id) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (delivery_id, attempt) DO NOTHING`,
        delivery.id, number, at, result.status, result.error, result.durationMs, this.config.nodeId,
      ),
    );
    const facts = { deliveryId: delivery.id, webhookId: delivery.webhook_id, event: delivery.event, attempt: number, status: result.status, durationMs: result.durationMs };
    if (!recorded) logger.warn(facts, 'webhook attempt ended after this node lost its claim (it took longer than the claim); the delivery is left to the node holding it');
    else if (state === 'delivered') logger.info(facts, 'webhook delivered');
    else logger.warn({ ...facts, error: result.error, state, retryInMs: delay }, state === 'retrying' ? 'webhook attempt failed; will retry' : 'webhook delivery failed for good');
  }

  private async post(url: string, secret: string, delivery: ClaimedDelivery): Promise<AttemptResult> {
    const started = Date.now();
    const done = (status: number | null, error: string | null): AttemptResult => ({ status, error, durationMs: Date.now() - started });
    const unreachable = await unreachableHostReason(url, this.config.allowPrivate);
    if (unreachable) return done(null, unreachable);
    const body = JSON.stringify({ id: delivery.source_event_id, type: delivery.event, occurredAt: delivery.occurred_at, iscmId: delivery.iscm_id, data: JSON.parse(delivery.data) });
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const response = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.timeoutMs),
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Concord-Webhooks/1',
          [WEBHOOK_HEADERS.event]: delivery.event,
          [WEBHOOK_HEADERS.delivery]: delivery.source_event_id,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: webhookSignature(secret, timestamp, body),
        },
        body,
      });
      // The answer's body is not kept (it could hold anything); read and drop it so the socket is freed.
      await response.arrayBuffer().catch(() => undefined);
      const status = response.status;
      if (status >= 300 && status < 400) return done(status, 'The receiver answered with a redirect; webhooks do not follow redirects.');
      return done(status, status >= 200 && status < 300 ? null : `The receiver answered HTTP ${status}.`);
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') return done(null, `No answer within ${this.config.timeoutMs} ms.`);
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return done(null, `The request failed: ${cause?.code ?? cause?.message ?? (error as Error).message}.`);
    }
  }

  /** Moves the delivery on, only while this node holds its claim; false when it did not any more. */
  private async finish(
    delivery: ClaimedDelivery,
    change: { state: string; status?: number | null; error?: string | null; attempts?: number; nextAttemptAt?: string | null; deliveredAt?: string | null },
    ...also: ReturnType<typeof sql>[]
  ): Promise<boolean> {
    // The attempt happened, claim or not: it is recorded first.
    if (also.length) await this.db.execute(also);
    const rows = await this.db.query<{ id: string }>(
      `UPDATE ${this.tables.deliveries} SET state = ?, last_status = ?, last_error = ?, attempts = ?, next_attempt_at = ?, delivered_at = ?, claimed_by = NULL, claimed_until = NULL
       WHERE id = ? AND claimed_by = ? AND state IN ('pending', 'retrying') RETURNING id`,
      [
        change.state, change.status ?? null, change.error ?? null, change.attempts ?? delivery.attempts, change.nextAttemptAt ?? null, change.deliveredAt ?? null,
        delivery.id, this.config.nodeId,
      ],
    );
    return rows.length > 0;
  }

  /** Gives a claimed delivery back untried (the node is stopping). */
  private async release(delivery: ClaimedDelivery): Promise<void> {
    await this.db.execute([sql(`UPDATE ${this.tables.deliveries} SET claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?`, delivery.id, this.config.nodeId)]);
  }
}
