import type { Route } from '@angular/router';
import { SubmissionPage } from './submission-page/submission-page';

export const SUBMISSIONS_ROUTES: Route[] = [
  { path: ':id', component: SubmissionPage, title: $localize`:@@submission.pageTitle:Submission · Concord` },
];
