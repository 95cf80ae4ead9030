import type { Route } from '@angular/router';
import { AccountPage } from './account-page/account-page';
import { AdminUsersPage } from './admin-users-page/admin-users-page';
import { InboxPage } from './inbox-page/inbox-page';
import { InvitationPage } from './invitation-page/invitation-page';
import { MfaSignInPage } from './mfa-sign-in-page/mfa-sign-in-page';
import { ResetPasswordPage } from './reset-password-page/reset-password-page';
import { WorkspaceMembersPage } from './workspace-members-page/workspace-members-page';

export const ACCOUNT_ROUTES: Route[] = [
  { path: '', component: AccountPage, title: $localize`:@@account.pageTitle:Your account · Concord` },
];

export const ADMIN_USERS_ROUTES: Route[] = [
  { path: '', component: AdminUsersPage, title: $localize`:@@adminUsers.pageTitle:Users · Concord` },
];

export const MFA_SIGN_IN_ROUTES: Route[] = [
  { path: '', component: MfaSignInPage, title: $localize`:@@mfaSignIn.pageTitle:Two-factor sign-in · Concord` },
];

export const RESET_PASSWORD_ROUTES: Route[] = [
  { path: ':token', component: ResetPasswordPage, title: $localize`:@@resetPassword.pageTitle:Choose a new password · Concord` },
];

export const WORKSPACE_MEMBERS_ROUTES: Route[] = [
  { path: ':iscmId', component: WorkspaceMembersPage, title: $localize`:@@members.pageTitle:Members and invitations · Concord` },
];

export const INVITATION_ROUTES: Route[] = [
  { path: ':token', component: InvitationPage, title: $localize`:@@invitation.pageTitle:Join Concord · Concord` },
];

export const INBOX_ROUTES: Route[] = [
  { path: '', component: InboxPage, title: $localize`:@@inbox.pageTitle:Notifications · Concord` },
];
