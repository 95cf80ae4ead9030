import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers of a delivery (lower case, as Node's http server shows them). */
export const WEBHOOK_HEADERS = {
  event: 'X-Concord-Event',
  delivery: 'X-Concord-Delivery',
  timestamp: 'X-Concord-Timestamp',
  signature: 'X-Concord-Signature',
} as const;

/** How far a receiver should accept a timestamp from its own clock (replays older than this are refused). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`: the timestamp (Unix seconds, also sent
 * as X-Concord-Timestamp) is signed with the body, so a captured delivery cannot be replayed later
 * with a fresh timestamp.
 */
export function webhookSignature(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

export type SignatureVerdict = 'valid' | 'missing' | 'mismatch' | 'stale';

/** The receiver's check (the recipe of docs/ARCHITECTURE.md, "Webhooks"), in constant time. */
export function verifyWebhookSignature(
  secret: string,
  rawBody: string | Buffer,
  headers: { timestamp?: string | null; signature?: string | null },
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS,
): SignatureVerdict {
  const timestamp = Number(headers.timestamp);
  if (!headers.signature || !headers.timestamp || !Number.isSafeInteger(timestamp)) return 'missing';
  const expected = Buffer.from(webhookSignature(secret, timestamp, rawBody));
  const given = Buffer.from(headers.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'mismatch';
  return Math.abs(nowSeconds - timestamp) > toleranceSeconds ? 'stale' : 'valid';
}
