import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { LoginResponse } from '@concord/contracts';
import { CONCORD_CONFIG, ConcordConfig, DirectoryUser, rootLogger, SessionService } from '@concord/api/platform';
import { setRefreshCookie } from './refresh-cookie';
import { UserProfiles } from './user-profile.service';

const log = rootLogger.child({ context: 'Auth' });

/**
 * Issues a sign-in once every check has passed (password and throttling today; a second factor
 * later): a server-side session (SessionStarted), the rotating refresh token in its HttpOnly cookie,
 * and the short access token with the user. Every way of signing in ends here, so each one gets a
 * revocable session and a cookie, never a bare token.
 */
@Injectable()
export class SignIns {
  constructor(
    private readonly sessions: SessionService,
    private readonly profiles: UserProfiles,
    @Inject(CONCORD_CONFIG) private readonly config: ConcordConfig,
  ) {}

  async issue(user: DirectoryUser, request: Request, response: Response, how = 'password'): Promise<LoginResponse> {
    const session = await this.sessions.start(user, request.headers['user-agent']);
    setRefreshCookie(response, this.config, session);
    log.info({ userId: user.id, sessionId: session.sessionId, how }, 'signed in');
    const { accessToken, expiresIn, sessionId } = session;
    return { accessToken, expiresIn, sessionId, user: await this.profiles.profile(user.id) };
  }
}
