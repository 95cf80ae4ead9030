import type { Route } from '@angular/router';
import { VerifyPage } from './verify-page/verify-page';

/** `/verify`: check a received document against the log (issue 13). */
export const VERIFY_ROUTES: Route[] = [{ path: '', component: VerifyPage, title: $localize`:@@verify.pageTitle:Verify a document · Concord` }];
