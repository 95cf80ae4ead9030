import {
  BadRequestException,
  ConflictException,
  GoneException,
  Inject,
  Injectable,
  NotFoundException,
  OnModuleInit,
  UnauthorizedException,
} from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { toDataURL } from 'qrcode';
import type {
  AdminUserDto,
  MfaChallengeResponse,
  MfaSetupDto,
  MfaStatusDto,
  PasswordResetLinkDto,
  RecoveryCodesDto,
  Role,
} from '@concord/contracts';
import { EVENT_STORE, EventStore } from '@concord/event-store';
import {
  DomainError,
  RECOVERY_CODE_COUNT,
  RESET_LINK_UNUSABLE,
  UserCommand,
  userDecider,
  UserState,
  userStream,
} from '@concord/domain';
import {
  CommandExecutor,
  DirectoryUser,
  loadAggregate,
  LoginThrottle,
  PasswordHashing,
  Principal,
  READ_MODEL_DATABASE,
  ReadModelDatabase,
  rootLogger,
  SessionService,
  UserDirectory,
} from '@concord/api/platform';
import { ACCOUNT_CONFIG, AccountConfig } from './account-config';
import { AccountKeys, newRecoveryCode, normalizeRecoveryCode, resetTokenHash } from './account-keys';
import { newPasswordProblem } from './password-policy';
import { matchingTotpStep, newTotpSecret, totpUri } from './totp';

const log = rootLogger.child({ context: 'Account' });

const SIGN_IN_CHALLENGE_MS = 5 * 60_000;
const ENROLMENT_MS = 10 * 60_000;
const SIGN_IN_EXPIRED = 'This sign-in has expired; sign in again with your password.';
/** Said for every wrong second-factor code, whichever kind was typed. */
export const WRONG_CODE = 'The code is not correct or has already been used.';
/** 401 while signing in (no session yet), 400 for a signed-in user's request (their session is fine). */
const wrongCode = (duringSignIn: boolean) =>
  duringSignIn ? new UnauthorizedException(WRONG_CODE) : new BadRequestException(WRONG_CODE);
const USED_STEPS_TABLE = 'account_totp_used_steps';

type ActiveUserState = Extract<UserState, { status: 'active' | 'disabled' }>;

/**
 * Changing passwords, the second factor (TOTP with recovery codes), and what administrators do to
 * accounts (re-enable, reset links). Every password and code check goes through the sign-in
 * throttle: passwords under the account's email (the same counter as sign-in), second-factor codes
 * under `totp:<userId>`, a key space no email can collide with.
 */
@Injectable()
export class AccountService implements OnModuleInit {
  private readonly keys: AccountKeys;

  constructor(
    @Inject(ACCOUNT_CONFIG) private readonly config: AccountConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    private readonly commands: CommandExecutor,
    private readonly users: UserDirectory,
    private readonly passwords: PasswordHashing,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionService,
  ) {
    this.keys = new AccountKeys(config.mfaKeyMaterial, config.mfaKeyId);
  }

  async onModuleInit(): Promise<void> {
    // Not a read model (nothing in the log says which codes were typed): a shared table so that a
    // code used on one API node is refused on every other for as long as it is valid.
    await this.db.execute([
      {
        sql: `CREATE TABLE IF NOT EXISTS ${USED_STEPS_TABLE} (user_id TEXT NOT NULL, step BIGINT NOT NULL, used_at TEXT NOT NULL, PRIMARY KEY (user_id, step))`,
      },
    ]);
  }

  // ------------------------------------------------------------------------------------------
  // Password

  async changePassword(principal: Principal, currentPassword: string, newPassword: string, address: string): Promise<void> {
    const user = await this.users.byId(principal.userId);
    if (!user) throw new NotFoundException(`User ${principal.userId} does not exist`);
    const problem = newPasswordProblem(newPassword, user);
    if (problem) throw new BadRequestException(problem);
    if (newPassword === currentPassword) throw new BadRequestException('The new password must differ from the current one.');
    await this.throttle.admit(user.email, address);
    if (!(await this.passwords.verify(user.passwordHash, currentPassword))) {
      await this.throttle.recordFailure(user.email, address);
      log.warn({ userId: user.id, address }, 'password change refused: wrong current password');
      throw new BadRequestException('The current password is not correct.');
    }
    await this.throttle.recordSuccess(user.email);
    await this.execute(user.id, {
      type: 'ChangePassword',
      data: { userId: user.id, passwordHash: await this.passwords.hash(newPassword), actor: principal },
    });
    // Every other device (perhaps the one that learnt the old password) is signed out, and its
    // sockets close; this one stays: it has just proved the current password.
    const ended = await this.sessions.endAllFor(user.id, 'password-changed', { except: principal.sessionId, actor: principal });
    log.info({ userId: user.id, endedSessions: ended }, 'password changed');
  }

  // ------------------------------------------------------------------------------------------
  // Second factor

  async mfaStatus(principal: Principal): Promise<MfaStatusDto> {
    const state = await this.userState(principal.userId);
    return {
      enabled: Boolean(state.totp),
      recoveryCodesLeft: state.totp?.recoveryCodeHashes.length ?? 0,
      required: await this.policyRequiresMfa(principal.userId, state.isAdmin),
    };
  }

  async startEnrolment(principal: Principal): Promise<MfaSetupDto> {
    const state = await this.userState(principal.userId);
    if (state.totp) throw new ConflictException('Two-factor sign-in is already on; turn it off first to enrol a new authenticator.');
    const secret = newTotpSecret();
    const otpauthUri = totpUri(principal.email, secret);
    const enrolmentToken = this.keys.sealChallenge({ purpose: 'enrol', sub: principal.userId, secret }, Date.now() + ENROLMENT_MS);
    return { secret, otpauthUri, qrCodeDataUrl: await toDataURL(otpauthUri, { margin: 2, width: 240 }), enrolmentToken };
  }

  async confirmEnrolment(principal: Principal, enrolmentToken: string, code: string, address: string): Promise<RecoveryCodesDto> {
    const challenge = this.keys.openChallenge(enrolmentToken);
    if (!challenge || challenge['purpose'] !== 'enrol' || challenge['sub'] !== principal.userId || typeof challenge['secret'] !== 'string') {
      throw new BadRequestException('This enrolment has expired or belongs to someone else; start the set-up again.');
    }
    const secret = challenge['secret'];
    await this.checkTotp(principal.userId, secret, code, address);
    const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.execute(principal.userId, {
      type: 'EnableTotp',
      data: {
        userId: principal.userId,
        secret: this.keys.sealTotpSecret(principal.userId, secret),
        recoveryCodeHashes: recoveryCodes.map((recoveryCode) => this.keys.recoveryCodeHash(principal.userId, recoveryCode)),
        actor: principal,
      },
    });
    log.info({ userId: principal.userId }, 'two-factor sign-in enrolled');
    return { recoveryCodes };
  }

  /** The user turns the second factor off: password and a current code (or a recovery code) needed. */
  async disableMfa(principal: Principal, password: string, code: string, address: string): Promise<void> {
    const user = await this.users.byId(principal.userId);
    if (!user) throw new NotFoundException(`User ${principal.userId} does not exist`);
    await this.throttle.admit(user.email, address);
    if (!(await this.passwords.verify(user.passwordHash, password))) {
      await this.throttle.recordFailure(user.email, address);
      throw new BadRequestException('The password is not correct.');
    }
    await this.throttle.recordSuccess(user.email);
    const state = await this.userState(user.id);
    if (!state.totp) throw new ConflictException('Two-factor sign-in is not on for this account.');
    await this.checkSecondFactor(state, code, address);
    await this.execute(user.id, { type: 'DisableTotp', data: { userId: user.id, actor: principal } });
    log.info({ userId: user.id }, 'two-factor sign-in turned off');
  }

  /** An administrator turns a user's second factor off (lost authenticator and recovery codes). */
  async adminDisableMfa(admin: Principal, userId: string): Promise<void> {
    await this.execute(userId, { type: 'DisableTotp', data: { userId, actor: admin } });
    log.info({ userId, by: admin.userId }, 'two-factor sign-in turned off by an administrator');
  }

  /**
   * Called by the sign-in after the password was accepted: the challenge to answer when the account
   * has a second factor, else null (sign-in completes as before).
   */
  async signInChallenge(userId: string): Promise<MfaChallengeResponse | null> {
    const state = await this.userState(userId);
    if (!state.totp) return null;
    return {
      mfaRequired: true,
      mfaToken: this.keys.sealChallenge({ purpose: 'sign-in', sub: userId }, Date.now() + SIGN_IN_CHALLENGE_MS),
    };
  }

  /**
   * Second step of a sign-in (called by SignIns only, which then starts the session): the challenge
   * must be open and the code a current TOTP code or an unused recovery code. Returns the user.
   */
  async answerSignInChallenge(mfaToken: string, code: string, address: string): Promise<DirectoryUser> {
    const challenge = this.keys.openChallenge(mfaToken);
    if (!challenge || challenge['purpose'] !== 'sign-in' || typeof challenge['sub'] !== 'string') {
      throw new UnauthorizedException(SIGN_IN_EXPIRED);
    }
    const user = await this.users.byId(challenge['sub']);
    if (!user || user.disabled) throw new UnauthorizedException(SIGN_IN_EXPIRED);
    const state = await this.userState(user.id);
    if (!state.totp) throw new UnauthorizedException(SIGN_IN_EXPIRED);
    await this.checkSecondFactor(state, code, address, true);
    return user;
  }

  /** True when MFA_REQUIRED_ROLES names one of the user's roles (admin: also platform admins). */
  async policyRequiresMfa(userId: string, isAdmin: boolean): Promise<boolean> {
    const required = this.config.mfaRequiredRoles;
    if (required.length === 0) return false;
    if (isAdmin && required.includes('admin')) return true;
    const rows = await this.db.query<{ role: Role }>('SELECT DISTINCT role FROM rm_members WHERE user_id = ?', [userId]);
    return rows.some((row) => required.includes(row.role));
  }

  /** For the enrolment gate: the policy requires a second factor and the user has none yet. */
  async mustEnrolFirst(userId: string, isAdmin: boolean): Promise<boolean> {
    if (this.config.mfaRequiredRoles.length === 0) return false;
    const [row] = await this.db.query<{ mfa_enabled: number }>('SELECT mfa_enabled FROM rm_accounts WHERE user_id = ?', [userId]);
    if (row && row.mfa_enabled) return false;
    return this.policyRequiresMfa(userId, isAdmin);
  }

  // ------------------------------------------------------------------------------------------
  // Administrators

  async listUsers(): Promise<AdminUserDto[]> {
    const rows = await this.db.query<{
      id: string;
      email: string;
      name: string;
      is_admin: number;
      disabled: number;
      mfa_enabled: number | null;
      reset_expires_at: string | null;
    }>(
      `SELECT u.id, u.email, u.name, u.is_admin, u.disabled, a.mfa_enabled, a.reset_expires_at
       FROM rm_users u LEFT JOIN rm_accounts a ON a.user_id = u.id ORDER BY u.name, u.email`,
    );
    const now = new Date().toISOString();
    return rows.map((row) => ({
      id: row.id,
      email: row.email,
      name: row.name,
      isAdmin: Boolean(row.is_admin),
      disabled: Boolean(row.disabled),
      mfaEnabled: Boolean(row.mfa_enabled),
      resetLinkExpiresAt: row.reset_expires_at && row.reset_expires_at > now ? row.reset_expires_at : null,
    }));
  }

  async reenable(admin: Principal, userId: string): Promise<void> {
    await this.execute(userId, { type: 'ReenableUser', data: { userId, actor: admin } });
    log.info({ userId, by: admin.userId }, 'user re-enabled');
  }

  /**
   * A one-time link for the administrator to pass on. The token is `<userId>-<256 random bits as 43
   * base64url characters>` (no dot: the web server treats dotted paths as files); only its SHA-256
   * is recorded. A newer link replaces the older one.
   */
  async issueResetLink(admin: Principal, userId: string): Promise<PasswordResetLinkDto> {
    const token = `${userId}-${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(Date.now() + this.config.resetLinkTtlSeconds * 1000).toISOString();
    await this.execute(userId, {
      type: 'IssuePasswordReset',
      data: { userId, resetId: randomUUID(), tokenHash: resetTokenHash(token), expiresAt, actor: admin },
    });
    log.info({ userId, by: admin.userId, expiresAt }, 'password reset link issued');
    return { resetPath: `/reset/${token}`, token, expiresAt };
  }

  async resetPassword(token: string, newPassword: string): Promise<void> {
    const userId = /^([A-Za-z0-9_-]{1,100})-[A-Za-z0-9_-]{43}$/.exec(token)?.[1];
    if (!userId) throw new BadRequestException('This is not a reset link Concord issued; check that it was copied whole.');
    const user = await this.users.byId(userId);
    if (!user) throw new GoneException(RESET_LINK_UNUSABLE);
    const problem = newPasswordProblem(newPassword, user);
    if (problem) throw new BadRequestException(problem);
    try {
      await this.execute(userId, {
        type: 'ResetPassword',
        data: { userId, tokenHash: resetTokenHash(token), passwordHash: await this.passwords.hash(newPassword), now: new Date().toISOString() },
      });
    } catch (error) {
      if (error instanceof DomainError && error.message === RESET_LINK_UNUSABLE) throw new GoneException(RESET_LINK_UNUSABLE);
      throw error;
    }
    // The person proved control of the link: earlier wrong guesses no longer lock them out.
    await this.throttle.recordSuccess(user.email);
    // Nobody keeps a session made with the old password (this request has none to keep).
    const ended = await this.sessions.endAllFor(userId, 'password-changed');
    log.info({ userId, endedSessions: ended }, 'password reset with a link');
  }

  // ------------------------------------------------------------------------------------------

  private async userState(userId: string): Promise<ActiveUserState> {
    const { state } = await loadAggregate(this.store, userStream(userId), userDecider);
    if (state.status === 'unregistered') throw new NotFoundException(`User ${userId} does not exist`);
    return state;
  }

  private async execute(userId: string, command: UserCommand): Promise<void> {
    const actor = 'actor' in command.data ? command.data.actor.userId : userId;
    await this.commands.execute(userStream(userId), userDecider, command, actor);
  }

  /** A 6-digit code checks the authenticator; anything else is tried as a recovery code. */
  private async checkSecondFactor(state: ActiveUserState, code: string, address: string, duringSignIn = false): Promise<void> {
    const totp = state.totp;
    if (!totp) throw new BadRequestException('Two-factor sign-in is not on for this account.');
    if (/^\s*\d{3}\s?\d{3}\s*$/.test(code)) {
      let secret: string;
      try {
        secret = this.keys.openTotpSecret(state.userId, totp.secret);
      } catch {
        log.error({ userId: state.userId, keyId: totp.secret.keyId }, 'the TOTP secret cannot be opened: MFA_KEY (or JWT_SECRET) changed');
        throw new ConflictException(
          'Your authenticator cannot be checked because the server key changed; use a recovery code or ask an administrator.',
        );
      }
      await this.checkTotp(state.userId, secret, code, address, duringSignIn);
      return;
    }
    const key = `totp:${state.userId}`;
    await this.throttle.admit(key, address);
    const codeHash = this.keys.recoveryCodeHash(state.userId, normalizeRecoveryCode(code));
    try {
      await this.execute(state.userId, { type: 'UseRecoveryCode', data: { userId: state.userId, codeHash } });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'invalid') {
        await this.throttle.recordFailure(key, address);
        log.warn({ userId: state.userId, address }, 'second factor refused: wrong recovery code');
        throw wrongCode(duringSignIn);
      }
      throw error;
    }
    await this.throttle.recordSuccess(key);
  }

  private async checkTotp(userId: string, secret: string, code: string, address: string, duringSignIn = false): Promise<void> {
    const key = `totp:${userId}`;
    await this.throttle.admit(key, address);
    const step = matchingTotpStep(secret, code);
    if (step === null || !(await this.claimStep(userId, step))) {
      await this.throttle.recordFailure(key, address);
      log.warn({ userId, address, replay: step !== null }, 'second factor refused: wrong code');
      throw wrongCode(duringSignIn);
    }
    await this.throttle.recordSuccess(key);
  }

  /** Records that a time step's code was used; false when it already was (RFC 6238 §5.2). */
  private async claimStep(userId: string, step: number): Promise<boolean> {
    const now = new Date().toISOString();
    try {
      await this.db.execute([
        { sql: `DELETE FROM ${USED_STEPS_TABLE} WHERE step < ?`, params: [step - 10] },
        { sql: `INSERT INTO ${USED_STEPS_TABLE} (user_id, step, used_at) VALUES (?, ?, ?)`, params: [userId, step, now] },
      ]);
      return true;
    } catch (error) {
      if (/unique|duplicate|constraint/i.test(String((error as Error)?.message))) return false;
      throw error;
    }
  }
}
