/**
 * How sign-in attempts are throttled, as pure arithmetic (the stores and the clock are elsewhere).
 *
 * Per account (keyed by the normalised email, whether or not the account exists): the first
 * `freeFailures` consecutive wrong passwords cost nothing more than a 401; the failure that reaches
 * `freeFailures` locks the account for `lockoutBaseSeconds`, and each failure after a lockout has
 * run out doubles it, up to `lockoutMaxSeconds`. A successful sign-in resets the count.
 * Per client address: `addressFailures` failed sign-ins within `addressWindowSeconds` refuse every
 * further attempt from that address until the window ends.
 */
export interface LoginThrottlePolicy {
  freeFailures: number;
  lockoutBaseSeconds: number;
  lockoutMaxSeconds: number;
  /** How long a series of failures is remembered from its first failure (a slow series restarts). */
  failureMemorySeconds: number;
  addressFailures: number;
  addressWindowSeconds: number;
}

export const DEFAULT_LOGIN_THROTTLE_POLICY: LoginThrottlePolicy = {
  freeFailures: 20,
  lockoutBaseSeconds: 60,
  lockoutMaxSeconds: 3600,
  failureMemorySeconds: 24 * 3600,
  addressFailures: 100,
  addressWindowSeconds: 15 * 60,
};

/** Seconds an account stays locked after its `consecutiveFailures`-th failure in a row (0: not locked). */
export function lockoutSecondsAfter(consecutiveFailures: number, policy: LoginThrottlePolicy): number {
  if (consecutiveFailures < policy.freeFailures) return 0;
  const doublings = consecutiveFailures - policy.freeFailures;
  // 2^doublings overflows to Infinity long before it matters; the cap keeps it finite.
  return Math.min(policy.lockoutBaseSeconds * 2 ** Math.min(doublings, 52), policy.lockoutMaxSeconds);
}

/** A `Retry-After` value: whole seconds, at least 1 (a 0 would invite an immediate retry). */
export function retryAfterSeconds(milliseconds: number): number {
  return Math.max(1, Math.ceil(milliseconds / 1000));
}

/** Checks a policy read from configuration; throws with the variable's name when it makes no sense. */
export function validateLoginThrottlePolicy(policy: LoginThrottlePolicy): LoginThrottlePolicy {
  const positive: Array<[keyof LoginThrottlePolicy, string]> = [
    ['freeFailures', 'LOGIN_FREE_FAILURES'],
    ['lockoutBaseSeconds', 'LOGIN_LOCKOUT_BASE_SECONDS'],
    ['lockoutMaxSeconds', 'LOGIN_LOCKOUT_MAX_SECONDS'],
    ['failureMemorySeconds', 'LOGIN_FAILURE_MEMORY_SECONDS'],
    ['addressFailures', 'LOGIN_ADDRESS_FAILURES'],
    ['addressWindowSeconds', 'LOGIN_ADDRESS_WINDOW_SECONDS'],
  ];
  for (const [field, variable] of positive) {
    if (!Number.isInteger(policy[field]) || policy[field] < 1) {
      throw new Error(`${variable}=${policy[field]} must be a whole number of at least 1`);
    }
  }
  if (policy.lockoutMaxSeconds < policy.lockoutBaseSeconds) {
    throw new Error('LOGIN_LOCKOUT_MAX_SECONDS must be at least LOGIN_LOCKOUT_BASE_SECONDS');
  }
  return policy;
}
