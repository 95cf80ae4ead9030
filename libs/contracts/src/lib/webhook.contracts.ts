/** `POST /api/workspaces/<iscmId>/webhooks`. `events` are public webhook event names (WEBHOOK_EVENT_NAMES of @concord/domain). */
export interface RegisterWebhookRequest {
  url: string;
  events: string[];
}

/** A workspace's webhook as administrators see it (never its secret). */
export interface WebhookDto {
  id: string;
  url: string;
  events: string[];
  registeredBy: string;
  registeredAt: string;
}

/** The answer to registering a webhook: the only time the signing secret is shown. */
export interface RegisteredWebhookDto extends WebhookDto {
  secret: string;
}

export type WebhookDeliveryState = 'pending' | 'retrying' | 'delivered' | 'failed' | 'cancelled';

/** One attempt to post a delivery. */
export interface WebhookAttemptDto {
  attempt: number;
  at: string;
  /** The receiver's HTTP status, or null when no answer came (then `error` says why). */
  status: number | null;
  error: string | null;
  durationMs: number;
}

/** One delivery of one event to one webhook, with its attempts (newest first in the log). */
export interface WebhookDeliveryDto {
  deliveryId: string;
  event: string;
  sourceEventType: string | null;
  createdAt: string;
  state: WebhookDeliveryState;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  history: WebhookAttemptDto[];
}
