import { authenticator } from 'otplib';

/**
 * TOTP as RFC 6238 with the parameters every authenticator app supports: SHA-1, 6 digits, 30 s,
 * and one step of clock drift either way.
 */
const totp = authenticator.clone({ window: 1, step: 30, digits: 6 });

export const TOTP_ISSUER = 'Concord';

export function newTotpSecret(): string {
  // 20 bytes (160 bits), as RFC 4226 recommends, base32 encoded.
  return totp.generateSecret(20);
}

export function totpUri(accountName: string, secret: string): string {
  return totp.keyuri(accountName, TOTP_ISSUER, secret);
}

/**
 * The time step the code belongs to when it is valid now (within the drift window), else null;
 * the step lets the caller refuse a code that was already used.
 */
export function matchingTotpStep(secret: string, code: string, now = Date.now()): number | null {
  const digits = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(digits)) return null;
  const delta = totp.clone({ epoch: now }).checkDelta(digits, secret);
  return delta === null ? null : Math.floor(now / 1000 / 30) + delta;
}

/** The code for a secret at a time (tests and tools). */
export function totpCode(secret: string, now = Date.now()): string {
  return totp.clone({ epoch: now }).generate(secret);
}
