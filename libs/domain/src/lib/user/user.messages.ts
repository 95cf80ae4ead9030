import type { Principal } from '../shared/actor';
import type { Command, Event } from '../shared/decider';

/** A TOTP secret sealed with AES-256-GCM by the API (never the plain secret in the log). */
export interface SealedSecret {
  /** Key version/derivation label, so keys can be rotated. */
  readonly keyId: string;
  readonly iv: string;
  readonly ciphertext: string;
  readonly tag: string;
}

/**
 * A platform administrator registers a user; or, with `invitationId`, the person who holds a valid
 * invitation registers themselves (the handler has checked the invitation; never a platform admin).
 */
export type RegisterUser = Command<
  'RegisterUser',
  { userId: string; email: string; name: string; passwordHash: string; isAdmin: boolean; actor: Principal; invitationId?: string }
>;
export type ChangePassword = Command<'ChangePassword', { userId: string; passwordHash: string; actor: Principal }>;
export type DisableUser = Command<'DisableUser', { userId: string; actor: Principal }>;
export type ReenableUser = Command<'ReenableUser', { userId: string; actor: Principal }>;
/** An administrator issues a one-time reset link; only the hash of its token is recorded. */
export type IssuePasswordReset = Command<
  'IssuePasswordReset',
  { userId: string; resetId: string; tokenHash: string; expiresAt: string; actor: Principal }
>;
/** Whoever holds the link sets a new password (`now` is given: the domain has no clock). */
export type ResetPassword = Command<'ResetPassword', { userId: string; tokenHash: string; passwordHash: string; now: string }>;
export type EnableTotp = Command<
  'EnableTotp',
  { userId: string; secret: SealedSecret; recoveryCodeHashes: string[]; actor: Principal }
>;
export type DisableTotp = Command<'DisableTotp', { userId: string; actor: Principal }>;
export type UseRecoveryCode = Command<'UseRecoveryCode', { userId: string; codeHash: string }>;
export type UserCommand =
  | RegisterUser
  | ChangePassword
  | DisableUser
  | ReenableUser
  | IssuePasswordReset
  | ResetPassword
  | EnableTotp
  | DisableTotp
  | UseRecoveryCode;

export type UserRegistered = Event<
  'UserRegistered',
  { userId: string; email: string; name: string; passwordHash: string; isAdmin: boolean }
>;
export type PasswordChanged = Event<'PasswordChanged', { userId: string; passwordHash: string }>;
export type UserDisabled = Event<'UserDisabled', { userId: string }>;
export type UserReenabled = Event<'UserReenabled', { userId: string }>;
export type PasswordResetIssued = Event<'PasswordResetIssued', { userId: string; resetId: string; tokenHash: string; expiresAt: string }>;
export type PasswordReset = Event<'PasswordReset', { userId: string; resetId: string; passwordHash: string }>;
export type TotpEnabled = Event<'TotpEnabled', { userId: string; secret: SealedSecret; recoveryCodeHashes: string[] }>;
export type TotpDisabled = Event<'TotpDisabled', { userId: string; byAdmin: boolean }>;
export type RecoveryCodeUsed = Event<'RecoveryCodeUsed', { userId: string; codeHash: string; remaining: number }>;
export type UserEvent =
  | UserRegistered
  | PasswordChanged
  | UserDisabled
  | UserReenabled
  | PasswordResetIssued
  | PasswordReset
  | TotpEnabled
  | TotpDisabled
  | RecoveryCodeUsed;

/** Claims an email address for one user, on the stream `emailReservationStream(email)`. */
export type ReserveEmail = Command<'ReserveEmail', { email: string; userId: string }>;
export type EmailReserved = Event<'EmailReserved', { email: string; userId: string }>;
