import type { LoginResponse } from './auth.contracts';

/**
 * The first step of a sign-in for an account with a second factor: no tokens yet, only a
 * short-lived challenge to complete with `POST /api/auth/mfa`.
 */
export interface MfaChallengeResponse {
  mfaRequired: true;
  /** Opaque, valid for 5 minutes. */
  mfaToken: string;
}

/** What `POST /api/auth/login` answers. */
export type SignInResponse = LoginResponse | MfaChallengeResponse;

export const isMfaChallenge = (response: object): response is MfaChallengeResponse =>
  (response as Partial<MfaChallengeResponse>).mfaRequired === true;

export interface CompleteMfaSignInRequest {
  mfaToken: string;
  /** A 6-digit code from the authenticator, or one of the recovery codes. */
  code: string;
}

export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

export interface MfaStatusDto {
  enabled: boolean;
  recoveryCodesLeft: number;
  /** The platform policy (MFA_REQUIRED_ROLES) requires a second factor for one of this user's roles. */
  required: boolean;
}

export interface MfaSetupDto {
  /** The base32 secret, for typing into an authenticator by hand. */
  secret: string;
  otpauthUri: string;
  /** The otpauth URI as a PNG QR code (data: URL). */
  qrCodeDataUrl: string;
  /** Opaque, valid for 10 minutes: send it back with the first code to confirm. */
  enrolmentToken: string;
}

export interface ConfirmMfaRequest {
  enrolmentToken: string;
  code: string;
}

export interface RecoveryCodesDto {
  /** Shown once: only their hashes are kept. Each works once. */
  recoveryCodes: string[];
}

export interface DisableMfaRequest {
  password: string;
  code: string;
}

export interface AdminUserDto {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  disabled: boolean;
  mfaEnabled: boolean;
  /** When the newest unused reset link expires, if one is pending. */
  resetLinkExpiresAt: string | null;
}

export interface PasswordResetLinkDto {
  /** The path to hand to the user (append to the site's origin): `/reset/<token>`. */
  resetPath: string;
  token: string;
  expiresAt: string;
}

export interface ResetPasswordRequest {
  token: string;
  newPassword: string;
}
