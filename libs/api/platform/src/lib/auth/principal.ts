import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';

/** Who is calling: established from the verified JWT on every request. */
export interface Principal {
  userId: string;
  email: string;
  name: string;
  isAdmin: boolean;
  /** The server-side session the token belongs to (checked on every request and socket). */
  sessionId: string;
}

export interface AccessTokenClaims {
  sub: string;
  email: string;
  name: string;
  adm: boolean;
  sid: string;
}

export const IS_PUBLIC = 'concord:isPublic';
/** Marks a route that needs no token (login, health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<{ principal: Principal }>().principal,
);
