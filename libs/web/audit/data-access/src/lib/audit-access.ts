import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import type { UserDto } from '@concord/contracts';
import { AuthStore } from '@concord/web/core/data-access';

/** Platform admins, and anyone who is an auditor or admin in some workspace, may read the event log. */
export function canAudit(user: UserDto | null | undefined): boolean {
  if (!user) {
    return false;
  }
  return user.isAdmin || user.memberships.some((m) => m.roles.includes('auditor') || m.roles.includes('admin'));
}

/**
 * Lets auditors through to the audit pages. Roles may have been granted since sign-in, so a refusal
 * is confirmed against a fresh copy of the user first; the server still decides what they may read.
 */
export const auditGuard: CanActivateFn = async () => {
  const auth = inject(AuthStore);
  const home = inject(Router).createUrlTree(['/']);
  if (canAudit(auth.user())) {
    return true;
  }
  try {
    await auth.refreshUser();
  } catch {
    return home;
  }
  return canAudit(auth.user()) ? true : home;
};
