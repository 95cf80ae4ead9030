import { createHmac } from 'node:crypto';
import { verifyWebhookSignature, webhookSignature } from './webhook-signature';

describe('webhook signature', () => {
  const secret = 'whsec_test';
  const body = '{"id":"e1","type":"proposal.approved"}';

  it('is the hex HMAC-SHA256 of "<timestamp>.<raw body>" under the secret', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(webhookSignature(secret, 1700000000, body)).toBe(`sha256=${expected}`);
  });

  it('verifies a fresh delivery and refuses altered, unsigned, foreign or replayed ones', () => {
    const signature = webhookSignature(secret, 1700000000, body);
    const at = (timestamp: string, sig: string | null = signature) => ({ timestamp, signature: sig });
    expect(verifyWebhookSignature(secret, body, at('1700000000'), 1700000100)).toBe('valid');
    expect(verifyWebhookSignature(secret, body.replace('e1', 'e2'), at('1700000000'), 1700000100)).toBe('mismatch');
    expect(verifyWebhookSignature(secret, body, at('1700000001'), 1700000100)).toBe('mismatch');
    expect(verifyWebhookSignature('whsec_other', body, at('1700000000'), 1700000100)).toBe('mismatch');
    expect(verifyWebhookSignature(secret, body, at('1700000000', null), 1700000100)).toBe('missing');
    expect(verifyWebhookSignature(secret, body, at('1700000000'), 1700000000 + 301)).toBe('stale');
  });
});
