import type { Route } from '@angular/router';
import { HistoryPanel } from './history-panel/history-panel';

/**
 * The history panel, mounted by the app as the `history` child of the proposal page
 * (`/proposals/:id/history`): it renders inside the page and uses the page's ProposalStore.
 * Query parameters `rev` (open one revision) or `from` and `to` (compare two) keep the selection
 * in the address, so it can be linked to.
 */
export const HISTORY_ROUTES: Route[] = [
  { path: '', component: HistoryPanel, title: $localize`:@@history.pageTitle:History · Concord` },
];
