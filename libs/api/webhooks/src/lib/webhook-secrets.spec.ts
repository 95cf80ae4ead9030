import { WebhookSecrets } from './webhook-secrets';

describe('webhook secrets', () => {
  const keys = new WebhookSecrets('a-server-secret-of-enough-length');

  it('seals a secret so that only the same key and webhook open it', () => {
    const secret = WebhookSecrets.generate();
    const sealed = keys.seal('w1', secret);
    expect(JSON.stringify(sealed)).not.toContain(secret.slice(6));
    expect(keys.open('w1', sealed)).toBe(secret);
    expect(() => keys.open('w2', sealed)).toThrow();
    expect(() => new WebhookSecrets('another-server-secret-entirely').open('w1', sealed)).toThrow(/another key/);
  });

  it('generates 256-bit secrets', () => {
    expect(WebhookSecrets.generate()).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(WebhookSecrets.generate()).not.toBe(WebhookSecrets.generate());
  });
});
