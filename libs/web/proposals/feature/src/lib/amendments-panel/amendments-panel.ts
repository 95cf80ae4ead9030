import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { AmendmentsFeed, ProposalStore } from '@concord/web/proposals/data-access';
import { AmendmentTable, EmptyState, ErrorState, LoadingState } from '@concord/web/shared/ui';

/**
 * `/proposals/:id/amendments`: every suggestion made on the proposal's text, open or decided, as
 * the log tells it — a tab of the proposal page, refreshed every few seconds while visible.
 */
@Component({
  selector: 'cc-amendments-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AmendmentTable, EmptyState, ErrorState, LoadingState],
  providers: [AmendmentsFeed],
  template: `
    <section class="cc-amendments-panel" data-testid="amendments-panel" aria-labelledby="cc-amendments-heading">
      <h3 id="cc-amendments-heading" class="cc-section-title" i18n="@@amendments.heading">Amendments</h3>
      @switch (feed.state()) {
        @case ('loading') {
          <cc-loading-state i18n-label="@@amendments.loading" label="Loading the amendments…" />
        }
        @case ('error') {
          <cc-error-state i18n-heading="@@amendments.loadError" heading="Could not load the amendments" [message]="errorMessage()" (retry)="retry()" />
        }
        @case ('empty') {
          <cc-empty-state>
            <span i18n="@@amendments.empty">No suggestions have been made on this text yet. Delegates suggest changes in the text itself.</span>
          </cc-empty-state>
        }
        @case ('ready') {
          <cc-amendment-table [amendments]="feed.amendments()" [caption]="caption()" />
        }
      }
    </section>
  `,
  styles: `
    .cc-amendments-panel { padding: 1rem 0; }
  `,
})
export class AmendmentsPanel {
  private readonly store = inject(ProposalStore);
  protected readonly feed = inject(AmendmentsFeed);

  protected readonly caption = computed(
    () => $localize`:@@amendments.caption:Suggestions on “${this.store.proposal()?.title ?? ''}:title:”`,
  );
  protected readonly errorMessage = computed(() => this.feed.error()?.message ?? '');

  constructor() {
    const proposalId = this.store.proposalId;
    this.feed.connect(computed(() => {
      const id = proposalId();
      return id ? { kind: 'proposal' as const, id } : null;
    }));
  }

  protected retry(): void {
    this.feed.retry();
  }
}
