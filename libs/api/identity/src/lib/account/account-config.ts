import type { Role } from '@concord/contracts';
import { ROLES } from '@concord/contracts';

/**
 * Account settings read from the environment (README configuration table):
 * - `MFA_KEY`: the key that seals TOTP secrets and keys recovery-code hashes; when unset both are
 *   derived from JWT_SECRET (changing that key then makes every enrolled authenticator unusable).
 * - `MFA_REQUIRED_ROLES`: comma-separated roles (`chair,admin`) whose holders must enrol a second
 *   factor before they may do anything else; `admin` also covers platform administrators. Default: none.
 * - `PASSWORD_RESET_TTL_HOURS`: how long an administrator's reset link stays valid (default 24).
 * - `INVITATION_TTL_HOURS`: how long an invitation link stays valid (default 168, seven days).
 */
export interface AccountConfig {
  /** Input keying material for the account keys (MFA_KEY, else JWT_SECRET). */
  readonly mfaKeyMaterial: string;
  /** Which of the two it is, recorded with each sealed secret so a key change is diagnosable. */
  readonly mfaKeyId: 'mfa-key' | 'jwt-secret';
  readonly mfaRequiredRoles: readonly Role[];
  readonly resetLinkTtlSeconds: number;
  readonly invitationTtlSeconds: number;
}

export const ACCOUNT_CONFIG = Symbol('ACCOUNT_CONFIG');

export function loadAccountConfig(env: NodeJS.ProcessEnv, jwtSecret: string): AccountConfig {
  const mfaKey = env['MFA_KEY']?.trim();
  if (mfaKey !== undefined && mfaKey !== '' && mfaKey.length < 32) {
    throw new Error('MFA_KEY must be at least 32 characters (e.g. openssl rand -base64 48)');
  }
  const roles = (env['MFA_REQUIRED_ROLES'] ?? '')
    .split(',')
    .map((role) => role.trim().toLowerCase())
    .filter((role) => role !== '' && role !== 'none' && role !== 'off');
  for (const role of roles) {
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new Error(`MFA_REQUIRED_ROLES: "${role}" is not a role (use any of ${ROLES.join(', ')})`);
    }
  }
  const ttlHours = Number(env['PASSWORD_RESET_TTL_HOURS'] ?? 24);
  if (!Number.isFinite(ttlHours) || ttlHours <= 0 || ttlHours > 24 * 30) {
    throw new Error(`PASSWORD_RESET_TTL_HOURS=${env['PASSWORD_RESET_TTL_HOURS']} must be a number of hours between 0 and 720`);
  }
  const invitationHours = Number(env['INVITATION_TTL_HOURS'] ?? 24 * 7);
  if (!Number.isFinite(invitationHours) || invitationHours <= 0 || invitationHours > 24 * 30) {
    throw new Error(`INVITATION_TTL_HOURS=${env['INVITATION_TTL_HOURS']} must be a number of hours between 0 and 720`);
  }
  return {
    invitationTtlSeconds: Math.max(1, Math.round(invitationHours * 3600)),
    mfaKeyMaterial: mfaKey ? mfaKey : jwtSecret,
    mfaKeyId: mfaKey ? 'mfa-key' : 'jwt-secret',
    mfaRequiredRoles: roles as Role[],
    resetLinkTtlSeconds: Math.round(ttlHours * 3600),
  };
}
