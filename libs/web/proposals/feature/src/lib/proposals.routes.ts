import type { Route } from '@angular/router';
import { AmendmentsPanel } from './amendments-panel/amendments-panel';
import { ProposalEditor } from './proposal-editor/proposal-editor';
import { ProposalPage } from './proposal-page/proposal-page';

/**
 * `/proposals/:id`: the page, with the live text as its default view and its amendments
 * (`/proposals/:id/amendments`) as a tab. `panels` are further child
 * routes shown in the page's tab area (the app adds the history panel this way, so this feature
 * does not depend on another feature); they are rendered inside the page and can inject its
 * ProposalStore and ProposalDocumentSession.
 */
export function proposalsRoutes(panels: Route[] = []): Route[] {
  return [
    {
      path: ':id',
      component: ProposalPage,
      title: $localize`:@@proposal.pageTitle:Proposal · Concord`,
      children: [
        { path: '', pathMatch: 'full', component: ProposalEditor },
        { path: 'amendments', component: AmendmentsPanel, title: $localize`:@@amendments.pageTitle:Amendments · Concord` },
        ...panels,
      ],
    },
  ];
}

export const PROPOSALS_ROUTES: Route[] = proposalsRoutes();
