import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { CONCORD_CONFIG, ConcordConfig } from '../config/concord-config';
import type { AccessTokenClaims, Principal } from './principal';

@Injectable()
export class TokenService {
  private readonly jwt: JwtService;

  constructor(@Inject(CONCORD_CONFIG) private readonly config: ConcordConfig) {
    this.jwt = new JwtService({ secret: config.jwtSecret, signOptions: { algorithm: 'HS256' } });
  }

  issue(principal: Principal): { accessToken: string; expiresIn: number } {
    const claims: AccessTokenClaims = {
      sub: principal.userId,
      email: principal.email,
      name: principal.name,
      adm: principal.isAdmin,
      sid: principal.sessionId,
    };
    return {
      accessToken: this.jwt.sign(claims, { expiresIn: this.config.accessTokenTtlSeconds }),
      expiresIn: this.config.accessTokenTtlSeconds,
    };
  }

  /** The principal of a valid, unexpired token; null otherwise (never throws). */
  verify(token: string | undefined | null): Principal | null {
    return this.verifySession(token)?.principal ?? null;
  }

  /**
   * Like `verify`, plus when the token ends (ms since the epoch). A token without a session id
   * (issued before sessions existed) is not accepted.
   */
  verifySession(token: string | undefined | null): { principal: Principal; expiresAt: number | undefined } | null {
    if (!token) return null;
    try {
      const claims = this.jwt.verify<AccessTokenClaims & { exp?: number }>(token, { algorithms: ['HS256'] });
      if (typeof claims.sid !== 'string' || claims.sid === '' || typeof claims.sub !== 'string') return null;
      return {
        principal: { userId: claims.sub, email: claims.email, name: claims.name, isAdmin: claims.adm, sessionId: claims.sid },
        expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : undefined,
      };
    } catch {
      return null;
    }
  }
}
