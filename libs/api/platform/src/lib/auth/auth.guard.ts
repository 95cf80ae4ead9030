import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ReadModelFreshness } from '../read-model/read-model-freshness';
import { IS_PUBLIC, Principal } from './principal';
import { TokenService } from './token.service';
import { UserDirectory } from './user-directory';

/**
 * Global guard: every route needs a valid Bearer token of an enabled user unless marked @Public().
 * Who the user is, whether they are disabled and what roles they hold come from the read models:
 * when those trail the log beyond PROJECTION_MAX_LAG_MS the request is refused (503) rather than
 * decided on possibly revoked rights.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly users: UserDirectory,
    private readonly freshness: ReadModelFreshness,
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
    request.principal = { ...principal, isAdmin: user.isAdmin, name: user.name };
    return true;
  }
}
