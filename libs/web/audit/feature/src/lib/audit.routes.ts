import type { Route } from '@angular/router';
import { AuditPage } from './audit-page/audit-page';

export const AUDIT_ROUTES: Route[] = [{ path: '', component: AuditPage, title: $localize`:@@audit.pageTitle:Audit · Concord` }];
