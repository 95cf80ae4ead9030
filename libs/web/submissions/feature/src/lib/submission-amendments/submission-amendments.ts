import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { AmendmentsFeed } from '@concord/web/proposals/data-access';
import { AmendmentTable, EmptyState, ErrorState, LoadingState } from '@concord/web/shared/ui';

/**
 * The submission page's "Amendments" section: every suggestion made on the texts of all its
 * proposals, in the amendment table with a proposal column, refreshed every few seconds while
 * visible.
 */
@Component({
  selector: 'cc-submission-amendments',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AmendmentTable, EmptyState, ErrorState, LoadingState],
  providers: [AmendmentsFeed],
  template: `
    <section class="cc-submission-amendments" data-testid="submission-amendments" aria-labelledby="cc-submission-amendments-heading">
      <h2 id="cc-submission-amendments-heading" class="cc-section-title" i18n="@@submission.amendments">Amendments</h2>
      @switch (feed.state()) {
        @case ('loading') {
          <cc-loading-state i18n-label="@@submission.amendmentsLoading" label="Loading the amendments…" />
        }
        @case ('error') {
          <cc-error-state i18n-heading="@@submission.amendmentsError" heading="Could not load the amendments" [message]="errorMessage()" (retry)="retry()" />
        }
        @case ('empty') {
          <cc-empty-state>
            <span i18n="@@submission.amendmentsEmpty">No suggestions have been made on the texts of this submission yet.</span>
          </cc-empty-state>
        }
        @case ('ready') {
          <cc-amendment-table [amendments]="feed.amendments()" [caption]="caption" [showProposal]="true" />
        }
      }
    </section>
  `,
  styles: `
    .cc-submission-amendments { margin-top: 2rem; }
  `,
})
export class SubmissionAmendments {
  protected readonly feed = inject(AmendmentsFeed);

  readonly submissionId = input.required<string>();

  protected readonly caption = $localize`:@@submission.amendmentsCaption:Suggestions on the texts of this submission`;
  protected readonly errorMessage = computed(() => this.feed.error()?.message ?? '');

  constructor() {
    this.feed.connect(computed(() => ({ kind: 'submission' as const, id: this.submissionId() })));
  }

  protected retry(): void {
    this.feed.retry();
  }
}
