import { CallHandler, ExecutionContext, ForbiddenException, Injectable, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { Principal } from '@concord/api/platform';
import { AccountService } from './account.service';

/** What a user who must enrol a second factor may still reach: their identity, enrolment, sign-out. */
const ALLOWED_BEFORE_ENROLMENT = [/^\/api\/auth\//, /^\/api\/account\/mfa(\/|$)/, /^\/api\/health$/];

export const MFA_ENROLMENT_REQUIRED = 'mfa-enrolment-required: Your role requires two-factor sign-in; set it up on your Account page first.';

/**
 * MFA_REQUIRED_ROLES enforcement: a signed-in user whose role requires a second factor and who has
 * none gets 403 `mfa-enrolment-required: …` from every endpoint except those above, until enrolled.
 * An interceptor runs after the global AuthGuard, so the principal is known; no policy → no query.
 */
@Injectable()
export class MfaEnrolmentGate implements NestInterceptor {
  constructor(private readonly account: AccountService) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<{ principal?: Principal; path?: string; originalUrl?: string }>();
    const principal = request.principal;
    const path = (request.originalUrl ?? request.path ?? '').split('?')[0];
    if (principal && !ALLOWED_BEFORE_ENROLMENT.some((allowed) => allowed.test(path))) {
      if (await this.account.mustEnrolFirst(principal.userId, principal.isAdmin)) {
        throw new ForbiddenException(MFA_ENROLMENT_REQUIRED);
      }
    }
    return next.handle();
  }
}
