import type { Route } from '@angular/router';
import { platformAdminGuard } from '@concord/web/account/data-access';
import { auditGuard } from '@concord/web/audit/data-access';
import { authGuard, guestGuard } from '@concord/web/core/data-access';
import { NotFoundPage } from './not-found-page';

export const appRoutes: Route[] = [
  {
    // Second step of a sign-in with two-factor (the password step sends here with a pending challenge).
    path: 'login/code',
    canActivate: [guestGuard],
    loadChildren: () => import('@concord/web/account/feature').then((m) => m.MFA_SIGN_IN_ROUTES),
  },
  {
    path: 'reset',
    loadChildren: () => import('@concord/web/account/feature').then((m) => m.RESET_PASSWORD_ROUTES),
  },
  {
    // Accepting an invitation by its one-time link: no sign-in (it creates the account).
    path: 'invitations',
    loadChildren: () => import('@concord/web/account/feature').then((m) => m.INVITATION_ROUTES),
  },
  {
    // Members, roles and invitations of one workspace: its administrators (the server decides, 403 otherwise).
    path: 'admin/workspaces',
    canActivate: [authGuard],
    loadChildren: () => import('@concord/web/account/feature').then((m) => m.WORKSPACE_MEMBERS_ROUTES),
  },
  {
    path: 'account',
    canActivate: [authGuard],
    loadChildren: () => import('@concord/web/account/feature').then((m) => m.ACCOUNT_ROUTES),
  },
  {
    // The signed-in user's notifications (the bell in the top bar links here).
    path: 'inbox',
    canActivate: [authGuard],
    loadChildren: () => import('@concord/web/account/feature').then((m) => m.INBOX_ROUTES),
  },
  {
    path: 'admin/users',
    canActivate: [authGuard, platformAdminGuard],
    loadChildren: () => import('@concord/web/account/feature').then((m) => m.ADMIN_USERS_ROUTES),
  },
  {
    path: 'login',
    canActivate: [guestGuard],
    loadChildren: () => import('@concord/web/auth/feature').then((m) => m.AUTH_ROUTES),
  },
  {
    path: '',
    pathMatch: 'full',
    canActivate: [authGuard],
    loadChildren: () => import('@concord/web/dashboard/feature').then((m) => m.DASHBOARD_ROUTES),
  },
  {
    path: 'submissions',
    canActivate: [authGuard],
    loadChildren: () => import('@concord/web/submissions/feature').then((m) => m.SUBMISSIONS_ROUTES),
  },
  {
    path: 'proposals',
    canActivate: [authGuard],
    // The history panel is a lazily loaded tab of the proposal page (features do not import features).
    loadChildren: () =>
      import('@concord/web/proposals/feature').then((m) =>
        m.proposalsRoutes([{ path: 'history', loadChildren: () => import('@concord/web/history/feature').then((h) => h.HISTORY_ROUTES) }]),
      ),
  },
  {
    path: 'verify',
    canActivate: [authGuard],
    loadChildren: () => import('@concord/web/documents/feature').then((m) => m.VERIFY_ROUTES),
  },
  {
    path: 'audit',
    canActivate: [authGuard, auditGuard],
    loadChildren: () => import('@concord/web/audit/feature').then((m) => m.AUDIT_ROUTES),
  },
  { path: '**', component: NotFoundPage, title: $localize`:@@notFound.pageTitle:Page not found · Concord` },
];
