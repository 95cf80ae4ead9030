/** What the webhooks read from the environment (README, "Environment"). */
export interface WebhookConfig {
  /** Input key of the sealing key (WEBHOOK_SECRET_KEY, else JWT_SECRET): every node must have the same. */
  keyMaterial: string;
  /** Whether URLs resolving to loopback, private or link-local addresses are accepted (WEBHOOK_ALLOW_PRIVATE=1; tests). */
  allowPrivate: boolean;
  /** The first retry delay; the later ones keep the shape 5 s, 30 s, 2 min, 10 min, 1 h (WEBHOOK_RETRY_BASE_MS, default 5000). */
  retryBaseMs: number;
  /** How often each node looks for deliveries due (WEBHOOK_POLL_MS, default 1000). */
  pollMs: number;
  /** How long a receiver has to answer (WEBHOOK_TIMEOUT_MS, default 10000). */
  timeoutMs: number;
  /** This node's name in the delivery claims. */
  nodeId: string;
}

export const WEBHOOK_CONFIG = Symbol('WEBHOOK_CONFIG');

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name}=${raw} must be a positive whole number of milliseconds`);
  return value;
}

export function webhookConfigFromEnv(env: NodeJS.ProcessEnv, jwtSecret: string, nodeId: string): WebhookConfig {
  const keyMaterial = env['WEBHOOK_SECRET_KEY'] || jwtSecret;
  if (keyMaterial.length < 16) throw new Error('WEBHOOK_SECRET_KEY must be at least 16 characters long');
  return {
    keyMaterial,
    allowPrivate: ['1', 'true', 'yes', 'on'].includes((env['WEBHOOK_ALLOW_PRIVATE'] ?? '').toLowerCase()),
    retryBaseMs: positive(env, 'WEBHOOK_RETRY_BASE_MS', 5_000),
    pollMs: positive(env, 'WEBHOOK_POLL_MS', 1_000),
    timeoutMs: positive(env, 'WEBHOOK_TIMEOUT_MS', 10_000),
    nodeId,
  };
}
