import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import { AuthStore } from './auth.store';

/** Lets signed-in users through; sends everyone else to the sign-in page, remembering where they were going. */
export const authGuard: CanActivateFn = (_route, state) => {
  if (inject(AuthStore).hasValidSession()) {
    return true;
  }
  return inject(Router).createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};

/** Keeps signed-in users away from the sign-in page. */
export const guestGuard: CanActivateFn = () =>
  inject(AuthStore).hasValidSession() ? inject(Router).createUrlTree(['/']) : true;
