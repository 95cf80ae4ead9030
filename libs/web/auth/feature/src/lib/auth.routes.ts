import type { Route } from '@angular/router';
import { SignInPage } from './sign-in/sign-in-page';

export const AUTH_ROUTES: Route[] = [
  { path: '', component: SignInPage, title: $localize`:@@signIn.pageTitle:Sign in · Concord` },
];
