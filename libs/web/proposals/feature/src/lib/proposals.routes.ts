import type { Route } from '@angular/router';
import { ProposalPage } from './proposal-page/proposal-page';

export const PROPOSALS_ROUTES: Route[] = [
  { path: ':id', component: ProposalPage, title: $localize`:@@proposal.pageTitle:Proposal · Concord` },
];
