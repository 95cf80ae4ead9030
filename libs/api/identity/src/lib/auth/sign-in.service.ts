import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { LoginResponse, SignInResponse } from '@concord/contracts';
import {
  CONCORD_CONFIG,
  ConcordConfig,
  DirectoryUser,
  LoginThrottle,
  PasswordHashing,
  rootLogger,
  SessionService,
  UserDirectory,
} from '@concord/api/platform';
import { AccountService } from '../account/account.service';
import { setRefreshCookie } from './refresh-cookie';
import { UserProfiles } from './user-profile.service';

const log = rootLogger.child({ context: 'Auth' });

/**
 * The one sign-in path. Step one is the password (throttled per account and address, hashed under
 * the concurrency bound); an account with a second factor then gets a short-lived challenge instead
 * of a session, and step two is a TOTP or recovery code (throttled the same way under
 * `totp:<userId>`). Only `start` hands out what a signed-in user holds: a server-side session
 * (SessionStarted), the rotating refresh token in its HttpOnly cookie, and the short access token
 * carrying the session id. No other code issues tokens, so no way of signing in can skip a check
 * or end up with a token that has no session.
 */
@Injectable()
export class SignIns {
  constructor(
    private readonly users: UserDirectory,
    private readonly passwords: PasswordHashing,
    private readonly throttle: LoginThrottle,
    private readonly account: AccountService,
    private readonly sessions: SessionService,
    private readonly profiles: UserProfiles,
    @Inject(CONCORD_CONFIG) private readonly config: ConcordConfig,
  ) {}

  /** `POST /api/auth/login`: the session, or the challenge when the account has a second factor. */
  async withPassword(email: string, password: string, address: string, request: Request, response: Response): Promise<SignInResponse> {
    // Refused before any password is hashed: a locked account costs the server nothing.
    await this.throttle.admit(email, address);
    const user = await this.users.byEmail(email);
    // Verified against a decoy when the account is unknown, so timing does not reveal it either.
    const valid = await this.passwords.verify(user?.passwordHash, password);
    if (!user || !valid || user.disabled) {
      await this.throttle.recordFailure(email, address);
      log.warn({ known: Boolean(user), address }, 'failed sign-in');
      throw new UnauthorizedException('Email or password is incorrect');
    }
    await this.throttle.recordSuccess(email);
    const challenge = await this.account.signInChallenge(user.id);
    if (challenge) {
      log.info({ userId: user.id }, 'password accepted; second factor asked');
      return challenge;
    }
    return this.start(user, request, response, 'password');
  }

  /** `POST /api/auth/mfa`: the challenge from step one answered with a TOTP or recovery code. */
  async withSecondFactor(mfaToken: string, code: string, address: string, request: Request, response: Response): Promise<LoginResponse> {
    const user = await this.account.answerSignInChallenge(mfaToken, code, address);
    return this.start(user, request, response, 'second-factor');
  }

  private async start(user: DirectoryUser, request: Request, response: Response, how: 'password' | 'second-factor'): Promise<LoginResponse> {
    const session = await this.sessions.start(user, request.headers['user-agent']);
    setRefreshCookie(response, this.config, session);
    log.info({ userId: user.id, sessionId: session.sessionId, how }, 'signed in');
    const { accessToken, expiresIn, sessionId } = session;
    return { accessToken, expiresIn, sessionId, user: await this.profiles.profile(user.id) };
  }
}
