import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ReadModelFreshness } from '../read-model/read-model-freshness';
import { IS_PUBLIC, Principal } from './principal';
import { SESSION_END_MESSAGES, SessionService } from './session.service';
import { TokenService } from './token.service';
import { UserDirectory } from './user-directory';

/**
 * Global guard: every route needs a valid Bearer token of an enabled user, whose session is still
 * open (not signed out, not expired, not idle), unless marked @Public(). Roles are not in the token:
 * who the user is, whether they are disabled and what roles they hold come from the read models,
 * read per request, so a removed role counts at once; when those trail the log beyond
 * PROJECTION_MAX_LAG_MS the request is refused (503) rather than decided on possibly revoked rights.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly users: UserDirectory,
    private readonly freshness: ReadModelFreshness,
    private readonly sessions: SessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const [scheme, token] = (request.headers['authorization'] ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) {
      throw new UnauthorizedException('A Bearer access token is required: sign in with POST /api/auth/login');
    }
    const principal = this.tokens.verify(token);
    if (!principal) throw new UnauthorizedException('The access token is invalid or has expired: sign in again');
    this.freshness.assertFresh();
    const user = await this.users.byId(principal.userId);
    if (!user || user.disabled) throw new UnauthorizedException('This account is disabled or no longer exists');
    const session = await this.sessions.check(principal.sessionId, principal.userId);
    if (!session.active) throw new UnauthorizedException(SESSION_END_MESSAGES[session.reason]);
    request.principal = { ...principal, isAdmin: user.isAdmin, name: user.name };
    return true;
  }
}
