import { HttpErrorResponse, type HttpInterceptorFn, type HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { AuthStore } from '../auth/auth.store';

const API_PREFIX = '/api/';
const SIGN_IN_URL = '/api/auth/login';

/**
 * Adds the bearer token to Concord API calls (and only to them), and ends the session when the
 * API answers 401: the user is sent to sign in again and brought back where they were.
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  if (!isApiRequest(request)) {
    return next(request);
  }
  const auth = inject(AuthStore);
  const router = inject(Router);
  const token = auth.token();
  const authorised = token ? request.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : request;

  return next(authorised).pipe(
    catchError((error: unknown) => {
      // A 401 from the sign-in call itself means wrong credentials, which the sign-in page shows.
      if (error instanceof HttpErrorResponse && error.status === 401 && request.url !== SIGN_IN_URL) {
        auth.logout();
        redirectToSignIn(router);
      }
      return throwError(() => error);
    }),
  );
};

function isApiRequest(request: HttpRequest<unknown>): boolean {
  return request.url.startsWith(API_PREFIX);
}

function redirectToSignIn(router: Router): void {
  const returnUrl = router.url;
  if (returnUrl.startsWith('/login')) {
    return;
  }
  void router.navigate(['/login'], { queryParams: { returnUrl } });
}
