import { outcomeOf, retryDelayMs, WEBHOOK_MAX_ATTEMPTS } from './webhook-retries';

describe('webhook retries', () => {
  it('backs off 5 s, 30 s, 2 min, 10 min, 1 h, then gives up', () => {
    const delays = Array.from({ length: WEBHOOK_MAX_ATTEMPTS }, (_, i) => retryDelayMs(i + 1, 5_000));
    expect(delays).toEqual([5_000, 30_000, 120_000, 600_000, 3_600_000, null]);
    expect(WEBHOOK_MAX_ATTEMPTS).toBe(6);
  });

  it('keeps the shape when tests shorten the first delay', () => {
    expect(retryDelayMs(1, 100)).toBe(100);
    expect(retryDelayMs(2, 100)).toBe(600);
  });

  it('retries server errors, timeouts, network errors, 408 and 429, and nothing else', () => {
    expect(outcomeOf(200)).toBe('delivered');
    expect(outcomeOf(204)).toBe('delivered');
    for (const status of [null, 500, 502, 503, 408, 429]) expect(outcomeOf(status)).toBe('retry');
    for (const status of [400, 401, 403, 404, 410, 301, 302]) expect(outcomeOf(status)).toBe('give-up');
  });
});
