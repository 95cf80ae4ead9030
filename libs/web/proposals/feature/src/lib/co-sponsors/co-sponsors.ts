import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { ProposalStore } from '@concord/web/proposals/data-access';

/**
 * The member states co-sponsoring the proposal (issue 14 §4), for everyone; for a delegate, one
 * button that co-sponsors it for their member state or withdraws that co-sponsorship. It stays the
 * same element whichever it does, so the keyboard stays on it; the outcome is announced, and a
 * refusal shows the server's reason beside it.
 */
@Component({
  selector: 'cc-co-sponsors',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, MatButtonModule],
  template: `
    <section class="cc-co-sponsors" aria-labelledby="cc-co-sponsors-heading" data-testid="co-sponsors">
      <h2 id="cc-co-sponsors-heading" class="cc-section-title" i18n="@@coSponsors.heading">Co-sponsors</h2>
      @if (coSponsors().length > 0) {
        <ul class="cc-co-sponsors__list" data-testid="co-sponsor-list">
          @for (coSponsor of coSponsors(); track coSponsor.memberState) {
            <li data-testid="co-sponsoring-state" [attr.data-member-state]="coSponsor.memberState">
              <strong>{{ coSponsor.memberStateName }}</strong>
              <span class="cc-muted"> · {{ coSponsor.byName }}, {{ coSponsor.at | date: 'medium' }}</span>
            </li>
          }
        </ul>
      } @else {
        <p class="cc-muted" data-testid="co-sponsors-none" i18n="@@coSponsors.none">No member state co-sponsors this proposal yet.</p>
      }
      @if (canCoSponsor()) {
        <button
          [attr.data-testid]="mine() ? 'withdraw-co-sponsorship' : 'co-sponsor'"
          mat-stroked-button
          type="button"
          [attr.aria-disabled]="busy()"
          (click)="toggle()"
        >
          @if (mine()) {
            <ng-container i18n="@@coSponsors.withdraw">Withdraw co-sponsorship</ng-container>
          } @else {
            <ng-container i18n="@@coSponsors.endorse">Co-sponsor for {{ myStateName() }}</ng-container>
          }
        </button>
      }
      @if (failure(); as reason) {
        <div class="cc-form-failure" role="alert" data-testid="co-sponsor-failure">
          <p><strong i18n="@@coSponsors.failed">That did not work.</strong> {{ reason }}</p>
        </div>
      }
      <p class="cc-visually-hidden" role="status" aria-live="polite" data-testid="co-sponsor-announcement">{{ announcement() }}</p>
    </section>
  `,
  styles: `
    .cc-co-sponsors { display: flex; flex-direction: column; align-items: flex-start; gap: 12px; }
    .cc-co-sponsors p { margin: 0; }
    .cc-co-sponsors__list { list-style: none; margin: 0; padding: 0; }
    .cc-co-sponsors__list li { padding: 0.25rem 0; }
  `,
})
export class CoSponsors {
  private readonly store = inject(ProposalStore);

  /** Alphabetical by member state name. */
  protected readonly coSponsors = computed(() =>
    [...(this.store.proposal()?.coSponsors ?? [])].sort((a, b) => a.memberStateName.localeCompare(b.memberStateName)),
  );
  protected readonly canCoSponsor = computed(() => this.store.permissions().canCoSponsor);
  private readonly myState = this.store.myMemberState;
  protected readonly myStateName = computed(() => this.myState()?.name ?? $localize`:@@coSponsors.yourState:your member state`);
  /** Whether the member state the signed-in delegate represents co-sponsors the proposal. */
  protected readonly mine = computed(() => {
    const code = this.myState()?.code;
    return !!code && this.coSponsors().some((coSponsor) => coSponsor.memberState === code);
  });
  protected readonly busy = computed(() => this.store.pendingAction() !== null);
  protected readonly failure = signal<string | null>(null);
  protected readonly announcement = signal('');

  /** Not [disabled] while a command runs: a disabled button would drop the keyboard focus. */
  protected async toggle(): Promise<void> {
    if (this.busy()) return;
    const state = this.myState();
    this.failure.set(null);
    this.announcement.set('');
    try {
      if (this.mine() && state) {
        await this.store.withdrawCoSponsorship(state.code);
        this.announcement.set($localize`:@@coSponsors.withdrawn:${state.name}:state: no longer co-sponsors this proposal.`);
      } else {
        await this.store.coSponsor();
        this.announcement.set($localize`:@@coSponsors.endorsed:${this.myStateName()}:state: now co-sponsors this proposal.`);
      }
    } catch (error) {
      // Shown here, beside the button, rather than in the page's action list.
      this.store.clearActionError();
      this.failure.set(error instanceof Error ? error.message : String(error));
      // What others did meanwhile may explain the refusal: show the proposal as it now is.
      void this.store.refresh();
    }
  }
}
