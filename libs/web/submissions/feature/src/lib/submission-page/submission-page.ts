import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, Injector, computed, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatChipsModule } from '@angular/material/chips';
import { MatDialog } from '@angular/material/dialog';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink } from '@angular/router';
import { SubmissionStore } from '@concord/web/submissions/data-access';
import { ApprovalStateLabel, EmptyState, ErrorState, LoadingState, StatusChip } from '@concord/web/shared/ui';
import { NewProposalDialog } from '../new-proposal-dialog/new-proposal-dialog';
import { SubmissionAmendments } from '../submission-amendments/submission-amendments';

type PageState = 'loading' | 'error' | 'ready';
type TableState = 'loading' | 'error' | 'empty' | 'ready';

@Component({
  selector: 'cc-submission-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    MatButtonModule,
    MatChipsModule,
    MatTableModule,
    MatTooltipModule,
    RouterLink,
    ApprovalStateLabel,
    EmptyState,
    ErrorState,
    LoadingState,
    StatusChip,
    SubmissionAmendments,
  ],
  providers: [SubmissionStore],
  templateUrl: './submission-page.html',
  styleUrl: './submission-page.scss',
})
export class SubmissionPage {
  private readonly store = inject(SubmissionStore);
  private readonly dialog = inject(MatDialog);
  private readonly injector = inject(Injector);
  private readonly router = inject(Router);

  /** The submission id, bound from the route. */
  readonly id = input.required<string>();

  protected readonly submission = this.store.submission;
  protected readonly rows = this.store.proposalRows;
  protected readonly canCreateProposal = this.store.canCreateProposal;
  protected readonly columns = ['title', 'kind', 'objectives', 'status', 'approval'];

  protected readonly pageState = computed<PageState>(() => {
    if (this.store.loadError()) {
      return 'error';
    }
    return this.submission() ? 'ready' : 'loading';
  });
  protected readonly loadErrorMessage = computed(() => this.store.loadError()?.message ?? '');

  protected readonly tableState = computed<TableState>(() => {
    if (this.store.proposalsLoading()) {
      return 'loading';
    }
    if (this.store.proposalsError()) {
      return 'error';
    }
    return this.rows().length === 0 ? 'empty' : 'ready';
  });
  protected readonly proposalsErrorMessage = computed(() => this.store.proposalsError()?.message ?? '');

  constructor() {
    this.store.connect(this.id);
  }

  protected reload(): void {
    this.store.reload();
  }

  protected reloadProposals(): void {
    this.store.reloadProposals();
  }

  protected openNewProposalDialog(): void {
    this.dialog
      .open<NewProposalDialog, void, string>(NewProposalDialog, {
        injector: this.injector,
        width: '640px',
        maxWidth: '95vw',
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .subscribe((proposalId) => {
        if (proposalId) {
          void this.router.navigate(['/proposals', proposalId]);
        }
      });
  }
}
