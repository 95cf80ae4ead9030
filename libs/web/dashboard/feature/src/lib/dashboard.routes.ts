import type { Route } from '@angular/router';
import { DashboardPage } from './dashboard-page';

export const DASHBOARD_ROUTES: Route[] = [
  { path: '', component: DashboardPage, title: $localize`:@@dashboard.pageTitle:My workspaces · Concord` },
];
