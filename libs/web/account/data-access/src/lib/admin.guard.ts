import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import { AuthStore } from '@concord/web/core/data-access';

/** The Users page is for platform administrators (the server refuses everyone else with 403 too). */
export const platformAdminGuard: CanActivateFn = () =>
  inject(AuthStore).user()?.isAdmin ? true : inject(Router).createUrlTree(['/']);
