import {
  DEFAULT_LOGIN_THROTTLE_POLICY,
  lockoutSecondsAfter,
  retryAfterSeconds,
  validateLoginThrottlePolicy,
} from './login-throttle-policy';

describe('login throttle policy', () => {
  const policy = { ...DEFAULT_LOGIN_THROTTLE_POLICY, freeFailures: 20, lockoutBaseSeconds: 60, lockoutMaxSeconds: 3600 };

  it('lets the first 19 consecutive failures through without a lockout', () => {
    for (let failures = 0; failures < 20; failures++) expect(lockoutSecondsAfter(failures, policy)).toBe(0);
  });

  it('locks the account at the 20th failure in a row, so the 21st attempt is refused', () => {
    expect(lockoutSecondsAfter(20, policy)).toBe(60);
  });

  it('doubles the lockout with every further failure, up to the cap', () => {
    expect([21, 22, 23, 24, 25, 26, 27].map((n) => lockoutSecondsAfter(n, policy))).toEqual([
      120, 240, 480, 960, 1920, 3600, 3600,
    ]);
    expect(lockoutSecondsAfter(10_000, policy)).toBe(3600);
  });

  it('rounds Retry-After up to whole seconds, never below 1', () => {
    expect(retryAfterSeconds(0)).toBe(1);
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1000)).toBe(1);
    expect(retryAfterSeconds(1001)).toBe(2);
    expect(retryAfterSeconds(59_999)).toBe(60);
  });

  it('rejects a configuration that makes no sense, naming the variable', () => {
    expect(() => validateLoginThrottlePolicy({ ...policy, freeFailures: 0 })).toThrow(/LOGIN_FREE_FAILURES/);
    expect(() => validateLoginThrottlePolicy({ ...policy, addressWindowSeconds: Number.NaN })).toThrow(/LOGIN_ADDRESS_WINDOW_SECONDS/);
    expect(() => validateLoginThrottlePolicy({ ...policy, lockoutMaxSeconds: 10 })).toThrow(/LOGIN_LOCKOUT_MAX_SECONDS/);
    expect(validateLoginThrottlePolicy(policy)).toBe(policy);
  });
});
