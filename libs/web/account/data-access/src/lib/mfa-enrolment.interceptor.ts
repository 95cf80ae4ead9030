import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';

/** The prefix of the server's refusal when MFA_REQUIRED_ROLES requires the user to enrol first. */
export const MFA_ENROLMENT_REQUIRED_CODE = 'mfa-enrolment-required';

/**
 * When the platform requires a second factor for the user's role and they have none, every API
 * call but enrolment is refused with 403 `mfa-enrolment-required: …`: send them to the Account page.
 */
export const mfaEnrolmentInterceptor: HttpInterceptorFn = (request, next) => {
  const router = inject(Router);
  return next(request).pipe(
    catchError((error: unknown) => {
      if (
        error instanceof HttpErrorResponse &&
        error.status === 403 &&
        typeof error.error?.message === 'string' &&
        error.error.message.startsWith(`${MFA_ENROLMENT_REQUIRED_CODE}:`) &&
        !router.url.startsWith('/account')
      ) {
        void router.navigate(['/account'], { queryParams: { enrol: 'required' } });
      }
      return throwError(() => error);
    }),
  );
};
